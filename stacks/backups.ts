import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import { InstanceRole } from "@aws-dr/compute";
import { BACKUP_TAG } from "@aws-dr/core";
import { BucketReplication } from "@aws-dr/replication";
import {
  BackupPlan,
  BackupVault,
  RestoreTesting,
  SecureBucket,
} from "@aws-dr/storage";
import type { DeployContext } from "./context";
import type { PrimarySite } from "./primary";

export interface Backups {
  primaryVault: BackupVault;
  recoveryVault: BackupVault;
  /** Recovery-region bucket the data bucket replicates into. */
  backupBucket: SecureBucket;
  /** AMI the fleet launches from in the recovery region: configured, or copied there ahead of need. */
  recoveryAmiId: pulumi.Input<string>;
  /** Instance profile for the recovery fleet, made ahead of need: IAM's control plane is in us-east-1. */
  recoveryInstanceProfileArn: pulumi.Output<string>;
}

/**
 * Everything that makes the primary site recoverable in the other region, at every tier: AWS Backup
 * (vault per region, plan with cross-region copy, restore testing), S3 replication into a locked-down
 * backup bucket, and what a recovery fleet needs (AMI, instance profile). Nothing here changes with
 * dr:failover, so failing over creates only recovery-region resources.
 */
export function buildBackups(
  ctx: DeployContext,
  { site, dataBucket }: PrimarySite,
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
  const plan = new BackupPlan(
    "backup",
    {
      vaultName: primaryVault.name,
      copyVaultArn: recoveryVault.arn,
      schedule: backup.schedule,
      retentionDays: backup.retentionDays,
      coldStorageAfterDays: backup.coldStorageAfterDays,
      copyRetentionDays: backup.copyRetentionDays,
      continuousBackup: backup.continuousBackup,
      resourceArns: [site.database.arn, dataBucket.arn],
      selectionTag: BACKUP_TAG,
    },
    { provider: providers.primary },
  );
  new RestoreTesting(
    "restore-test",
    {
      vaultArn: primaryVault.arn,
      roleArn: plan.roleArn,
      ...backup.restoreTesting,
      targets: [
        { type: "RDS", arn: site.database.arn },
        { type: "S3", arn: dataBucket.arn },
      ],
    },
    { provider: providers.primary },
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
        name: `aws-dr-${ctx.environment}-${cfg.app.amiId}`,
        sourceAmiId: cfg.app.amiId,
        sourceAmiRegion: cfg.primaryRegion,
        encrypted: true,
      },
      { provider: providers.recovery },
    ).id;

  const recoveryInstanceProfileArn = new InstanceRole(
    "recovery-instance",
    {},
    { provider: providers.recovery },
  ).profileArn;

  return {
    primaryVault,
    recoveryVault,
    backupBucket,
    recoveryAmiId,
    recoveryInstanceProfileArn,
  };
}
