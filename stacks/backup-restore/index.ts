import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import { recoveryFleetSize, scheduleIntervalMinutes } from "@aws-dr/core";
import { BackupPlan } from "@aws-dr/storage";
import { buildBackups, planSchedule, type Backups } from "../backups";
import type { DeployContext, TierOutputs } from "../context";
import { pointAppRecordAt } from "../dns";
import { buildPrimarySite } from "../primary";
import { buildRegions, type Regions } from "../regions";
import { Site } from "../site";

/**
 * Backup & restore: the primary site serves and the recovery region holds only backups (vault
 * copies, the replicated backup bucket, the AMI) and an idle network. dr:failover=true builds a
 * site there from them; false again removes it, snapshotting the restored database first, and
 * leaves the primary untouched.
 */
export function deployBackupRestore(ctx: DeployContext): TierOutputs {
  const { cfg } = ctx;
  // The recovery network gets NAT gateways only while a site runs there.
  const regions = buildRegions(
    ctx,
    cfg.failover ? cfg.network.natGateways : "none",
  );
  const primarySite = buildPrimarySite(ctx, regions);
  const primary = primarySite.site;
  const backups = buildBackups(ctx, regions, primarySite);
  const serving = cfg.failover
    ? buildRestoredSite(ctx, regions, backups, primary)
    : primary;

  const record = pointAppRecordAt(ctx, serving);
  return {
    appUrl: record
      ? record.fqdn.apply((fqdn) => `${serving.loadBalancer.scheme}://${fqdn}`)
      : serving.url,
    primaryUrl: primary.url,
    recoveryUrl: cfg.failover ? serving.url : undefined,
    databaseAddress: serving.database.address,
    // Pin it (dr:database.restoreSnapshot) once restored: the lookup runs on every `pulumi up` and
    // fails once the copies have expired while still failed over.
    restoredSnapshot: cfg.failover
      ? serving.database.instance.snapshotIdentifier
      : undefined,
    dataBucket: cfg.failover
      ? backups.backupBucket.name
      : primarySite.dataBucket.name,
    backupBucket: backups.backupBucket.name,
    primaryVault: backups.primaryVault.name,
    recoveryVault: backups.recoveryVault.name,
    primaryAlertTopic: regions.primary.alerts.arn,
    recoveryAlertTopic: regions.recovery.alerts.arn,
    // Worst case: the newest cross-region copy is one schedule interval old (S3 objects: 15 minutes).
    expectedRpoMinutes: scheduleIntervalMinutes(cfg.backup.schedule),
  };
}

/**
 * The recovery phase: a full site in the recovery region from the newest finished backup copy.
 * It takes production writes, so it is guarded like the primary (deletion protection, protect in
 * prod, until dr:failback=release) and backed up in its own region, with copies to the primary's
 * vault once that region is back. Nothing here calls the primary region or IAM.
 */
function buildRestoredSite(
  ctx: DeployContext,
  regions: Regions,
  backups: Backups,
  primary: Site,
): Site {
  const { cfg, providers } = ctx;
  const primarySize = { minSize: cfg.app.minSize, maxSize: cfg.app.maxSize };
  const site = new Site(
    "recovery",
    {
      cfg,
      region: regions.recovery,
      autoScalingRoleArn: regions.autoScalingRoleArn,
      amiId: backups.recoveryAmiId,
      certificateArn: cfg.app.recoveryCertificateArn,
      // Every tier fails over to a full-size fleet.
      fleetSize: recoveryFleetSize(cfg.tier, true, primarySize) ?? primarySize,
      databasePassword: ctx.databasePassword,
      databaseSnapshot:
        cfg.database.restoreSnapshot ??
        newestFinishedBackupCopy(ctx, primary.database.instance.identifier),
      instanceProfileArn: backups.recoveryInstanceProfileArn,
      // Failing back deletes it only after a final snapshot. (Retaining it instead would block
      // deleting its subnet group's network, parameter group and security group.)
      databaseFinalSnapshot: true,
      protect: cfg.protectData && cfg.failback !== "release",
    },
    { provider: providers.recovery },
  );
  new BackupPlan(
    "recovery-backup",
    {
      vaultName: backups.recoveryVault.name,
      // Copy jobs fail (and alert) while the primary region is down, and resume when it is back.
      copyVaultArn: backups.primaryVault.arn,
      ...planSchedule(cfg.backup),
      resourceArns: [site.database.arn],
      roleArn: backups.backupRoleArn,
    },
    { provider: providers.recovery },
  );
  return site;
}

/**
 * The newest AWS Backup copy of the primary database in the recovery region that has finished
 * copying: getSnapshot cannot filter by status and would pick a copy still in progress, which RDS
 * refuses to restore. Looked up with the recovery-region provider only: the primary may be down.
 */
function newestFinishedBackupCopy(
  { providers }: DeployContext,
  primaryDbIdentifier: pulumi.Output<string>,
): pulumi.Output<string> {
  return rds
    .getSnapshotsOutput(
      { dbInstanceIdentifier: primaryDbIdentifier, snapshotType: "awsbackup" },
      { provider: providers.recovery },
    )
    .apply(({ snapshots }) => {
      const newest = newestAvailable(snapshots);
      if (!newest)
        throw new Error(
          "no finished AWS Backup copy of the primary database in the recovery region: set dr:database.restoreSnapshot to a snapshot to restore",
        );
      return newest.dbSnapshotArn;
    });
}

/**
 * The snapshot of the newest data whose status is "available", or undefined. By the source's
 * creation time: a copy's own snapshotCreateTime is when it was copied, and a late copy of old data
 * would win.
 */
function newestAvailable<
  T extends { status: string; originalSnapshotCreateTime: string },
>(snapshots: T[]): T | undefined {
  return snapshots
    .filter((s) => s.status === "available")
    .sort((a, b) =>
      b.originalSnapshotCreateTime.localeCompare(a.originalSnapshotCreateTime),
    )[0];
}
