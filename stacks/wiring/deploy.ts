import type * as pulumi from "@pulumi/pulumi";
import { reachPrimaryWriter } from "../active-active/peering";
import { buildGameDay } from "../operations/game-day";
import { regionSwitchPlan } from "../operations/region-switch";
import { resiliencyPolicy } from "../operations/resilience-policy";
import { buildAppAccess } from "./app-access";
import { buildBackups } from "./backups";
import type { DeployContext, DeployedStack } from "./context";
import { publishEndpoints } from "./endpoints";
import { buildPrimarySite } from "./primary-site";
import { buildRecoverySite } from "./recovery-site";
import { buildRegions } from "./regions";
import { watchDatabaseReplication } from "./replication-alarms";
import { routeTraffic } from "./traffic";

/**
 * The whole stack in the config's phase, at every tier: both regions' groundwork, the primary site
 * and everything that makes it recoverable, the recovery site where the phase has one, the tier's
 * machinery (peering, alarms, operations), the app's endpoints and its DNS records. Every decision
 * comes from ctx.phase; this only builds it, with the same names at every tier and failover state,
 * so a move between them adds, removes or changes resources in place.
 */
export function deployStack(ctx: DeployContext): DeployedStack {
  const { cfg, phase } = ctx;
  // A recovery fleet whose record takes no traffic changes after that record, so a downgrade (its
  // weight to 0) drains the fleet before it shrinks. The records are made last (routeTraffic): the
  // fleet waits for a promise of its record, settled whatever happens in between (left pending
  // after an error, the fleet's registration would keep the run waiting).
  const recoveryRecord = later<pulumi.Resource[]>();
  try {
    const app = buildAppAccess(ctx);
    const regions = buildRegions(ctx);
    const primarySite = buildPrimarySite(ctx, regions, app.policy);
    const primary = primarySite.site;
    const backups = buildBackups(ctx, regions, primarySite, app.policy);
    const recovery = phase.recovery
      ? buildRecoverySite(
          ctx,
          regions,
          backups,
          {
            arn: primary.database.arn,
            identifier: primary.database.identifier,
          },
          cfg.dns && phase.weights.recovery === 0
            ? recoveryRecord.value
            : undefined,
        )
      : undefined;
    if (phase.peering) reachPrimaryWriter(ctx, regions);
    if (phase.gameDay && recovery) buildGameDay(ctx, regions, recovery);
    watchDatabaseReplication(ctx, regions, primarySite, recovery);
    const regionSwitch =
      phase.regionSwitch && recovery
        ? regionSwitchPlan(
            ctx,
            regions,
            { primary, recovery },
            app.parameterPrefix,
          )
        : undefined;
    publishEndpoints(ctx, app.parameterPrefix, primary, recovery);
    resiliencyPolicy(ctx);
    const serving =
      phase.serving === "recovery" && recovery ? recovery : primary;
    const traffic = routeTraffic(
      ctx,
      regions,
      { primary, recovery },
      serving,
      regionSwitch?.healthChecks,
    );
    recoveryRecord.settle(
      traffic.records.recovery ? [traffic.records.recovery] : [],
    );
    const sites = [primary, ...(recovery ? [recovery] : [])];
    ctx.realized.push(
      ...sites.flatMap((site) => [
        site.database.id,
        ...(site.otherDatabase ? [site.otherDatabase.id] : []),
        site.fleet.groupArn,
      ]),
      // Not while failed over (Phase.awaitsRecords says why).
      ...(phase.awaitsRecords
        ? Object.values(traffic.records).map((record) => record.fqdn)
        : []),
      ...(traffic.fence ? [traffic.fence.arn] : []),
    );
    const outputs: DeployedStack["outputs"] = {
      appUrl: traffic.url,
      primaryUrl: primary.url,
      recoveryUrl: recovery?.url,
      databaseAddress: serving.database.address,
      // What the runbooks and pulumi-up.yml refresh alone before a failover run: after a Region
      // switch plan or a console promotion the state still holds a replica (docs/runbooks).
      recoveryDatabaseUrn: recovery?.database.urn,
      // While the recovery site serves, the app reads the replicated backup bucket.
      dataBucket:
        phase.serving === "recovery"
          ? backups.backupBucket.name
          : primarySite.dataBucket.name,
      backupBucket: backups.backupBucket.name,
      primaryVault: backups.primaryVault.name,
      recoveryVault: backups.recoveryVault.name,
      primaryAlertTopic: regions.primary.alerts.arn,
      recoveryAlertTopic: regions.recovery.alerts.arn,
      endpointParameters: app.parameterPrefix,
      sessionTable: app.sessionTable?.name,
      // Executions and approvals start in the activating region (docs/runbooks/<tier>.md#region-switch);
      // the health check id goes into dr:regionSwitch.primaryHealthCheckId, so no run looks it up.
      regionSwitchPlanArn: regionSwitch?.planArn,
      regionSwitchApproverRoleArn: regionSwitch?.approverRoleArn,
      regionSwitchPrimaryHealthCheckId: regionSwitch?.healthChecks.primary,
      ...(phase.reportsRecoveryFleet
        ? { recoveryFleet: phase.recovery?.fleet }
        : {
            // Pin it (dr:database.restoreSnapshot) once restored: the lookup runs on every `pulumi
            // up` and fails once the copies have expired while still failed over.
            restoredSnapshot: recovery?.database.snapshotIdentifier,
          }),
    };
    return { outputs, realized: ctx.realized };
  } finally {
    recoveryRecord.settle([]);
  }
}

/** A value made later in the build, as a promise now; settling it twice keeps the first value. */
function later<T>(): { value: Promise<T>; settle: (value: T) => void } {
  let settle: (value: T) => void = () => undefined;
  const value = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { value, settle };
}
