import * as rds from "@pulumi/aws/rds";
import type * as pulumi from "@pulumi/pulumi";
import { recoveryFleetSize, scheduleIntervalMinutes } from "@aws-dr/core";
import { buildBackups } from "../backups";
import type { DeployContext, TierOutputs } from "../context";
import { pointAppRecordAt } from "../dns";
import { buildPrimarySite } from "../primary";
import { Site } from "../site";

/**
 * Backup & restore: the primary site serves and the recovery region holds only backups (vault
 * copies, the replicated backup bucket, the AMI). dr:failover=true builds a site there from them;
 * false again removes it, snapshotting the restored database first, and leaves the primary untouched.
 */
export function deployBackupRestore(ctx: DeployContext): TierOutputs {
  const { cfg, providers } = ctx;
  const primarySite = buildPrimarySite(ctx);
  const primary = primarySite.site;
  const backups = buildBackups(ctx, primarySite);

  const primarySize = { minSize: cfg.app.minSize, maxSize: cfg.app.maxSize };
  let serving = primary;
  if (cfg.failover) {
    serving = new Site(
      "recovery",
      {
        app: cfg.app,
        database: cfg.database,
        network: {
          cidrBlock: cfg.network.recoveryCidr,
          availabilityZones: cfg.network.availabilityZones,
          natGateways: cfg.network.natGateways,
        },
        amiId: backups.recoveryAmiId,
        certificateArn: cfg.app.recoveryCertificateArn,
        // Every tier fails over to a full-size fleet.
        fleetSize:
          recoveryFleetSize(cfg.tier, true, primarySize) ?? primarySize,
        databasePassword: ctx.databasePassword,
        databaseSnapshot:
          cfg.database.restoreSnapshot ??
          newestBackupSnapshot(ctx, primary.database.instance.identifier),
        instanceProfileArn: backups.recoveryInstanceProfileArn,
        // The restored database takes writes while failed over: failing back deletes it only
        // after a final snapshot. (Retaining it instead would block deleting its subnet group,
        // parameter group and security group.)
        databaseFinalSnapshot: true,
        protect: false,
      },
      { provider: providers.recovery },
    );
  }

  const record = pointAppRecordAt(ctx, serving);
  return {
    appUrl: record
      ? record.fqdn.apply((fqdn) => `${serving.loadBalancer.scheme}://${fqdn}`)
      : serving.url,
    primaryUrl: primary.url,
    recoveryUrl: cfg.failover ? serving.url : undefined,
    databaseAddress: serving.database.address,
    dataBucket: cfg.failover
      ? backups.backupBucket.name
      : primarySite.dataBucket.name,
    backupBucket: backups.backupBucket.name,
    primaryVault: backups.primaryVault.name,
    recoveryVault: backups.recoveryVault.name,
    // Worst case: the newest cross-region copy is one schedule interval old (S3 objects: 15 minutes).
    expectedRpoMinutes: scheduleIntervalMinutes(cfg.backup.schedule),
  };
}

/**
 * The newest AWS Backup snapshot of the primary database copied into the recovery region. Looked up
 * with the recovery-region provider only: the primary region may be down.
 */
function newestBackupSnapshot(
  { providers }: DeployContext,
  primaryDbIdentifier: pulumi.Output<string>,
): pulumi.Output<string> {
  return rds
    .getSnapshotOutput(
      {
        mostRecent: true,
        snapshotType: "awsbackup",
        dbInstanceIdentifier: primaryDbIdentifier,
      },
      { provider: providers.recovery },
    )
    .apply((snapshot) => snapshot.dbSnapshotArn);
}
