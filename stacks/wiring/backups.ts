import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import { InstanceRole } from "@aws-dr/compute";
import { physicalName } from "@aws-dr/aws-kit";
import { MAX_CONTINUOUS_RETENTION_DAYS, TAG_KEYS } from "@aws-dr/contracts";
import {
  S3_LATENCY_ALARM,
  scheduleIntervalMinutes,
  type BackupConfig,
} from "@aws-dr/model";
import {
  BucketReplication,
  REPLICATION_RULE_ID,
  RpoAlarms,
} from "@aws-dr/replication";
import {
  BackupAudit,
  BackupPlan,
  BackupVault,
  IsolatedVault,
  rdsRestoreOverrides,
  RestoreTesting,
  SecureBucket,
} from "@aws-dr/storage";
import type { DeployContext } from "./context";
import type { PrimarySite } from "./primary-site";
import type { Region, Regions } from "./regions";

/**
 * When every backup plan of the stack runs, how long it keeps what it makes, and the isolated vault
 * it also copies to (dr:backup.isolatedCopy): every plan takes its schedule from here, a failover's
 * recovery-region plan included, with the vault buildBackups made.
 */
export function planSchedule(
  backup: BackupConfig,
  isolatedVault: IsolatedVault | undefined,
) {
  const {
    schedule,
    retentionDays,
    coldStorageAfterDays,
    copyRetentionDays,
    continuousBackup,
    isolatedCopy,
  } = backup;
  const vaultArn = isolatedVault?.arn;
  if (isolatedCopy && !vaultArn)
    throw new Error(
      "planSchedule: buildBackups makes the isolated vault before any backup plan",
    );
  return {
    schedule,
    retentionDays,
    coldStorageAfterDays,
    copyRetentionDays,
    continuousBackup,
    isolatedCopy:
      isolatedCopy && vaultArn
        ? { vaultArn, retentionDays: isolatedCopy.retentionDays }
        : undefined,
  };
}

export interface Backups {
  primaryVault: BackupVault;
  recoveryVault: BackupVault;
  /** The logically air-gapped vault (recovery region; primary with Aurora), where dr:backup.isolatedCopy is set. */
  isolatedVault?: IsolatedVault;
  /**
   * The air-gapped vault a failover's recovery-region plan copies to: the same vault, or with
   * Aurora one of the recovery region's own (AWS copies Aurora into one only within a Region).
   */
  recoveryIsolatedVault?: IsolatedVault;
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
  // In the recovery region, so the isolated copy also outlives the primary region; every rule
  // copies to it straight from the primary vault (a plan cannot copy the cross-region copy again).
  // Aurora: in the primary region, since AWS Backup copies Aurora into an air-gapped vault only
  // within a Region. The engine is fixed for the stack's life, so the vault's region is too.
  const isolatedSide =
    cfg.database.engine === "aurora-postgresql" ? "primary" : "recovery";
  const { isolatedCopy } = backup;
  const newIsolatedVault = (
    name: string,
    physical: string,
    side: keyof typeof providers,
  ) =>
    isolatedCopy
      ? new IsolatedVault(
          name,
          {
            // Explicit and per stack (dev and prod may share a region): fixed, so a change of the
            // retention range (a replacement) fails on the name instead of emptying the vault.
            name: physicalName(ctx.environment, physical, { maxLength: 50 }),
            minRetentionDays: isolatedCopy.minRetentionDays,
            maxRetentionDays: isolatedCopy.maxRetentionDays,
            shareWithAccountId: isolatedCopy.shareWithAccountId,
            protect,
          },
          { provider: providers[side] },
        )
      : undefined;
  const isolatedVault = newIsolatedVault(
    "isolated-vault",
    "isolated",
    isolatedSide,
  );
  // With Aurora, the recovery region's own, made ahead of need (an empty vault costs nothing): a
  // failover's plan there copies the new writer's recovery points to it.
  const recoveryIsolatedVault =
    isolatedSide === "primary"
      ? newIsolatedVault(
          "recovery-isolated-vault",
          "recovery-isolated",
          "recovery",
        )
      : isolatedVault;
  // Data only, by ARN: the database and the data bucket. Fleet volumes are cattle, rebuilt from the
  // AMI; snapshotting them hourly, copying and locking them buys nothing. No tag selection either:
  // tags travel with snapshots to restored (and restore-test) databases, which would then be
  // backed up into the locked vault too.
  const backedUpDatabase = ctx.phase.primary.database.role !== "promoting";
  const plan = new BackupPlan(
    "backup",
    {
      vaultName: primaryVault.name,
      copyVaultArn: recoveryVault.arn,
      ...planSchedule(backup, isolatedVault),
      // The database joins once it has backups of its own: a failback's successor is promoted
      // without them (its next step turns them on), and a continuous rule would have AWS Backup
      // turn them on itself, restarting it at a time nobody chose.
      resourceArns: backedUpDatabase
        ? [site.database.arn, dataBucket.arn]
        : [dataBucket.arn],
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
            // AWS Backup's own type for Aurora clusters (their recovery points restore as clusters).
            type:
              ctx.cfg.database.engine === "aurora-postgresql"
                ? "Aurora"
                : "RDS",
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

  // The isolated copies, restored into their region's network as the owning account would on the
  // day it is trusted again (a recovery account restores them through the RAM share: the runbook).
  if (isolatedVault)
    new RestoreTesting(
      "isolated-restore-test",
      {
        vaultArn: isolatedVault.arn,
        roleArn: plan.roleArn,
        ...backup.restoreTesting,
        recoveryPointTypes: ["SNAPSHOT"],
        targets: [
          {
            // AWS Backup's own type for Aurora clusters (their recovery points restore as clusters).
            type:
              ctx.cfg.database.engine === "aurora-postgresql"
                ? "Aurora"
                : "RDS",
            arn: "*",
            overrides: rdsRestoreOverrides(
              regions[isolatedSide].network.dbSubnetGroupName,
              regions[isolatedSide].network.databaseSecurityGroupId,
            ),
          },
          { type: "S3", arn: "*" },
        ],
      },
      { provider: providers[isolatedSide] },
    );
  if (backup.audit.configRecorder)
    new BackupAudit(
      "backup-audit",
      {
        promises: {
          intervalHours: Math.ceil(
            scheduleIntervalMinutes(backup.schedule) / 60,
          ),
          minRetentionDays: backup.continuousBackup
            ? Math.min(backup.retentionDays, MAX_CONTINUOUS_RETENTION_DAYS)
            : backup.retentionDays,
          copyRegion: cfg.recoveryRegion,
          vaultLock: backup.vaultLock !== undefined,
          isolatedCopy: isolatedVault !== undefined,
        },
        resources: [
          ...(backedUpDatabase
            ? [
                site.database.aurora
                  ? {
                      type: "Aurora" as const,
                      id: site.database.aurora.cluster.clusterResourceId,
                      label: "database",
                    }
                  : {
                      type: "RDS" as const,
                      id: site.database.rds!.instance.resourceId,
                      label: "database",
                    },
              ]
            : []),
          { type: "S3" as const, id: dataBucket.name, label: "data" },
        ],
        stackTag: { [TAG_KEYS.environment]: ctx.environment },
        accountId: ctx.accountId,
        accessLogBucket: regions.primary.logs.name,
        reportObjectLockDays: backup.audit.reportObjectLockDays,
        protect,
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
    isolatedVault,
    recoveryIsolatedVault,
    backupRoleArn: plan.roleArn,
    backupBucket,
    recoveryAmiId,
    recoveryInstanceProfileArn,
  };
}
