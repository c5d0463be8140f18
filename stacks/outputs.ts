import type * as pulumi from "@pulumi/pulumi";
import { publishEndpoints } from "./app-access";
import type { Backups } from "./backups";
import { resiliencyPolicy, type SwitchHealthChecks } from "./region-switch";
import type { DeployContext, TierOutputs } from "./context";
import { routeTraffic } from "./dns";
import type { PrimarySite } from "./primary";
import type { Regions } from "./regions";
import type { Site } from "./site";

/**
 * Routes traffic (siteWeights), publishes where the app finds its database, states the targets to
 * Resilience Hub, and returns the outputs every tier has: where users go, which site and database
 * serve, where the data and backups are, and the alert topics.
 */
export function servingOutputs(
  ctx: DeployContext,
  regions: Regions,
  backups: Backups,
  { site: primary, dataBucket }: PrimarySite,
  recovery: Site | undefined,
  switchChecks: SwitchHealthChecks = {},
): TierOutputs & { appUrl: pulumi.Output<string> } {
  const { failover } = ctx.cfg;
  const serving = failover && recovery ? recovery : primary;
  const { app } = regions;
  publishEndpoints(ctx, app.parameterPrefix, primary, recovery);
  resiliencyPolicy(ctx);
  return {
    appUrl: routeTraffic(ctx, { primary, recovery }, serving, switchChecks),
    primaryUrl: primary.url,
    recoveryUrl: recovery?.url,
    databaseAddress: serving.database.address,
    // While failed over the app reads the replicated backup bucket.
    dataBucket: failover ? backups.backupBucket.name : dataBucket.name,
    backupBucket: backups.backupBucket.name,
    primaryVault: backups.primaryVault.name,
    recoveryVault: backups.recoveryVault.name,
    primaryAlertTopic: regions.primary.alerts.arn,
    recoveryAlertTopic: regions.recovery.alerts.arn,
    endpointParameters: app.parameterPrefix,
    sessionTable: app.sessionTable?.name,
  };
}
