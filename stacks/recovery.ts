import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import { physicalName, type FleetSize } from "@aws-dr/core";
import { BackupPlan } from "@aws-dr/storage";
import { planSchedule, type Backups } from "./backups";
import type { DeployContext } from "./context";
import type { Regions } from "./regions";
import { Site, type DatabaseOverrides } from "./site";

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
  args: { fleetSize: FleetSize; database: DatabaseOverrides },
): Site {
  const { cfg, providers } = ctx;
  const serving = cfg.failover;
  const site = new Site(
    "recovery",
    {
      cfg,
      region: regions.recovery,
      autoScalingRoleArn: regions.autoScalingRoleArn,
      amiId: backups.recoveryAmiId,
      certificateArn: cfg.app.recoveryCertificateArn,
      fleetSize: args.fleetSize,
      databasePassword: ctx.databasePassword,
      instanceProfileArn: backups.recoveryInstanceProfileArn,
      protect: serving && cfg.protectData && cfg.failback !== "release",
      standby: !serving,
      database: {
        name: recoveryDatabaseName(ctx),
        identifier: recoveryDatabaseIdentifier(ctx),
        ...args.database,
      },
    },
    { provider: providers.recovery },
  );
  if (serving) {
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
  }
  return site;
}

/** A database's logical name in a generation: the first keeps the plain name. */
export function generationName(base: string, generation: number): string {
  return generation === 1 ? base : `${base}-${generation}`;
}

/** The recovery site database's logical name in the config's generation. */
export function recoveryDatabaseName({ cfg }: DeployContext): string {
  return generationName("recovery-db", cfg.database.generation);
}

/** Its physical identifier: fixed, so a failover (and a failback) can find it without the primary. */
export function recoveryDatabaseIdentifier(ctx: DeployContext): string {
  return physicalName(ctx.environment, recoveryDatabaseName(ctx));
}

/**
 * The newest AWS Backup copy of the primary database in the recovery region that has finished
 * copying: getSnapshot cannot filter by status and would pick a copy still in progress, which RDS
 * refuses to restore. Looked up with the recovery-region provider only: the primary may be down.
 */
export function newestFinishedBackupCopy(
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

/**
 * The standby replica's identifier, once the recovery region confirms it exists. A failover that
 * promotes "the replica" in a stack that has none (e.g. straight from backup-restore) would
 * otherwise create an empty database and serve it: refused instead, before anything changes.
 */
export function existingReplica(ctx: DeployContext): pulumi.Output<string> {
  const identifier = recoveryDatabaseIdentifier(ctx);
  return rds
    .getInstancesOutput(
      { filters: [{ name: "db-instance-id", values: [identifier] }] },
      { provider: ctx.providers.recovery },
    )
    .apply(({ instanceIdentifiers }) =>
      requireReplica(instanceIdentifiers, identifier),
    );
}

/** The identifier, if the lookup found it; else the error that stops the failover. */
export function requireReplica(found: string[], identifier: string): string {
  if (found.includes(identifier)) return identifier;
  throw new pulumi.RunError(
    `dr:failover = true: there is no standby replica ${identifier} in the recovery region to promote, and promoting none would serve an empty database. Fail over at dr:tier backup-restore (restores the newest backup copy), or first run the standby tier without failover so the replica exists`,
  );
}
