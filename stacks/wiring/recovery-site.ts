import type * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "@aws-dr/storage";
import { planSchedule, type Backups } from "./backups";
import type { DeployContext } from "./context";
import { databaseOverrides } from "./database-phase";
import type { Regions } from "./regions";
import { Site } from "./site";

/**
 * The recovery site, built by this one function at every tier with the same names, so moving
 * between tiers grows or shrinks it in place: on the recovery network, from the AMI and instance
 * profile made ahead of time. While it serves (dr:failover) it takes production writes, so it is
 * guarded like the primary (deletion protection, `protect` in prod, until dr:failback=release) and
 * backed up in its own region, with copies to the primary's vault once that region is back.
 * Nothing here calls the primary region or IAM.
 */
export function buildRecoverySite(
  ctx: DeployContext,
  regions: Regions,
  backups: Backups,
  primaryDatabase: {
    arn: pulumi.Output<string>;
    identifier: pulumi.Output<string>;
  },
  /** What its fleet's changes wait for (FleetArgs.after). */
  fleetAfter?: pulumi.Input<pulumi.Resource[]>,
): Site {
  const { cfg, providers, phase } = ctx;
  const recovery = phase.recovery;
  if (!recovery) throw new Error("this phase has no recovery site");
  const site = new Site(
    "recovery",
    {
      cfg,
      region: regions.recovery,
      autoScalingRoleArn: regions.autoScalingRoleArn,
      amiId: backups.recoveryAmiId,
      certificateArn: cfg.app.recoveryCertificateArn,
      fleetSize: recovery.fleet,
      waitForCapacity: recovery.waitForCapacity,
      fleetAfter,
      // While it takes traffic, this says when capacity lags (a failover run does not wait for it).
      capacityAlarmTopicArn:
        (phase.weights.recovery ?? 0) > 0
          ? regions.recovery.alerts.arn
          : undefined,
      databasePassword: ctx.databasePassword,
      instanceProfileArn: backups.recoveryInstanceProfileArn,
      protect: recovery.guarded,
      standby: recovery.standby,
      database: databaseOverrides(ctx, recovery.database, primaryDatabase),
    },
    { provider: providers.recovery },
  );
  if (phase.recoveryBackups) {
    const plan = new BackupPlan(
      "recovery-backup",
      {
        vaultName: backups.recoveryVault.name,
        // Copy jobs fail (and alert) while the primary region is down, and resume when it is back.
        copyVaultArn: backups.primaryVault.arn,
        ...planSchedule(cfg.backup, backups.recoveryIsolatedVault),
        resourceArns: [site.database.arn],
        roleArn: backups.backupRoleArn,
      },
      { provider: providers.recovery },
    );
    ctx.realized.push(plan.selectionId);
  }
  return site;
}
