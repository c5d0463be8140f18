import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import { InstanceRole } from "@aws-dr/compute";
import { physicalName } from "@aws-dr/aws-kit";
import { S3_LATENCY_ALARM, type BackupConfig } from "@aws-dr/model";
import {
  BucketReplication,
  REPLICATION_RULE_ID,
  RpoAlarms,
} from "@aws-dr/replication";
import {
  BackupPlan,
  BackupVault,
  rdsRestoreOverrides,
  RestoreTesting,
  SecureBucket,
} from "@aws-dr/storage";
import type { DeployContext } from "./context";
import type { PrimarySite } from "./primary-site";
import type { Region, Regions } from "./regions";

/** When every backup plan of the stack runs and how long it keeps what it makes. */
export function planSchedule(backup: BackupConfig) {
  const {
    schedule,
    retentionDays,
    coldStorageAfterDays,
    copyRetentionDays,
    continuousBackup,
  } = backup;
  return {
    schedule,
    retentionDays,
    coldStorageAfterDays,
    copyRetentionDays,
    continuousBackup,
  };
}

export interface Backups {
  primaryVault: BackupVault;
  recoveryVault: BackupVault;
  /** The backup service role (IAM is global): recovery-region plans reuse it, needing no IAM. */
  backupRoleArn: pulumi.Output<string>;
  /** Recovery-region bucket the data bucket replicates into. */
  backupBucket: SecureBucket;
  /** AMI the fleet launches from in the recovery region: configured, or copied there ahead of need. */
  recoveryAmiId: pulumi.Input<string>;
  /** Instance profile for the recovery fleet, made ahead of need: IAM's control plane is in us-east-1. */
  recoveryInstanceProfileArn: pulumi.Output<string>;
}

/**
 * Everything that makes the primary site recoverable in the other region, at every tier: AWS Backup
 * (vault per region, plan with cross-region copy, restore tests in both regions), S3 replication
 * into a locked-down backup bucket, and what a recovery fleet needs (AMI, instance profile). Nothing
 * here changes with dr:failover, so failing over creates only recovery-region resources.
 */
export function buildBackups(
  ctx: DeployContext,
  regions: Regions,
  { site, dataBucket }: PrimarySite,
  /** The app's permissions, for the recovery fleet's instance role. */
  appPolicy: pulumi.Input<string>,
): Backups {
  const { cfg, providers } = ctx;
  const { backup } = cfg;
  const protect = cfg.protectData;

  const primaryVault = new BackupVault(
    "primary-vault",
    { lock: backup.vaultLock, protect },
    { provider: providers.primary },
  );
  const recoveryVault = new BackupVault(
    "recovery-vault",
    { lock: backup.vaultLock, protect },
    { provider: providers.recovery },
  );
  // Data only, by ARN: the database and the data bucket. Fleet volumes are cattle, rebuilt from the
  // AMI; snapshotting them hourly, copying and locking them buys nothing. No tag selection either:
  // tags travel with snapshots to restored (and restore-test) databases, which would then be
  // backed up into the locked vault too.
  const plan = new BackupPlan(
    "backup",
    {
      vaultName: primaryVault.name,
      copyVaultArn: recoveryVault.arn,
      ...planSchedule(backup),
      // The database joins once it has backups of its own: a failback's successor is promoted
      // without them (its next step turns them on), and a continuous rule would have AWS Backup
      // turn them on itself, restarting it at a time nobody chose.
      resourceArns:
        ctx.phase.primary.database.role === "promoting"
          ? [dataBucket.arn]
          : [site.database.arn, dataBucket.arn],
      permissionsBoundary: cfg.iamPermissionsBoundary,
    },
    { provider: providers.primary },
  );
  ctx.realized.push(plan.selectionId);
  const restoreTest = (
    name: string,
    vault: BackupVault,
    region: Region,
    rds: pulumi.Input<string>,
    s3: pulumi.Input<string>,
    provider: (typeof providers)["primary"],
  ) =>
    new RestoreTesting(
      name,
      {
        vaultArn: vault.arn,
        roleArn: plan.roleArn,
        ...backup.restoreTesting,
        targets: [
          {
            type: "RDS",
            arn: rds,
            overrides: rdsRestoreOverrides(
              region.network.dbSubnetGroupName,
              region.network.databaseSecurityGroupId,
            ),
          },
          { type: "S3", arn: s3 },
        ],
      },
      { provider },
    );
  // The primary's own recovery points, restored into the primary network.
  restoreTest(
    "restore-test",
    primaryVault,
    regions.primary,
    site.database.arn,
    dataBucket.arn,
    providers.primary,
  );
  // The copies a failover would restore, restored into the recovery network: this proves the
  // cross-region path, copy and key included. "*": whatever the recovery vault protects (the
  // copies carry the primary's resource ARNs).
  restoreTest(
    "recovery-restore-test",
    recoveryVault,
    regions.recovery,
    "*",
    "*",
    providers.recovery,
  );

  const {
    objectLock,
    objectLockDays,
    noncurrentToGlacierDays,
    noncurrentExpireDays,
  } = backup.backupBucket;
  const backupBucket = new SecureBucket(
    "backup",
    {
      objectLockDays: objectLock ? objectLockDays : undefined,
      noncurrentToGlacierDays,
      noncurrentExpireDays,
      accessLogBucket: regions.recovery.logs.name,
      protect,
    },
    { provider: providers.recovery },
  );
  new BucketReplication(
    "data-replication",
    {
      source: {
        bucket: dataBucket.bucket,
        versioning: dataBucket.versioning,
        kmsKeyArn: dataBucket.kmsKey.arn,
      },
      destination: {
        bucket: backupBucket.bucket,
        versioning: backupBucket.versioning,
        kmsKeyArn: backupBucket.kmsKey.arn,
      },
      permissionsBoundary: cfg.iamPermissionsBoundary,
    },
    { provider: providers.primary },
  );
  new RpoAlarms(
    "data-replication-alarms",
    {
      topicArn: regions.primary.alerts.arn,
      bucketReplication: {
        sourceBucket: dataBucket.name,
        destinationBucket: backupBucket.name,
        ruleId: REPLICATION_RULE_ID,
        // RTC's bound, which the RPO estimate counts for objects, not dr:targets.
        latencyAlarm: S3_LATENCY_ALARM,
      },
    },
    { provider: providers.primary },
  );

  const recoveryAmiId =
    cfg.app.recoveryAmiId ??
    new ec2.AmiCopy(
      "recovery-ami",
      {
        // A new source AMI replaces the copy, created before the old one is deleted: the name
        // must differ per source or the two collide.
        name: physicalName(ctx.environment, cfg.app.amiId, { maxLength: 128 }),
        sourceAmiId: cfg.app.amiId,
        sourceAmiRegion: cfg.primaryRegion,
        encrypted: true,
        // The recovery fleet's volume key, which the Auto Scaling role may use.
        kmsKeyId: regions.recovery.volumeKey.arn,
      },
      { provider: providers.recovery },
    ).id;

  const recoveryInstanceProfileArn = new InstanceRole(
    "recovery-instance",
    { appPolicy, permissionsBoundary: cfg.iamPermissionsBoundary },
    { provider: providers.recovery },
  ).profileArn;

  return {
    primaryVault,
    recoveryVault,
    backupRoleArn: plan.roleArn,
    backupBucket,
    recoveryAmiId,
    recoveryInstanceProfileArn,
  };
}
