import { z } from "zod";
import { scheduleIntervalMinutes } from "../schedule";
import { cron, days, type Fail } from "./fields";

/** dr:backup: AWS Backup, restore testing and the replicated backup bucket. */
export const backupSchema = z.strictObject({
  /** When the daily (or other) backup job starts, as an AWS cron expression in UTC. */
  schedule: cron.default("cron(0 5 ? * * *)"),
  /** Days a recovery point is kept in the primary vault. */
  retentionDays: days(36500).default(35),
  /** Days after which recovery points move to cold storage; AWS then keeps them at least 90 more. */
  coldStorageAfterDays: days(36500).optional(),
  /** Days the copy in the recovery-region vault is kept. */
  copyRetentionDays: days(36500).default(35),
  /** Continuous backup (point-in-time recovery) of RDS and S3, kept min(retentionDays, 35) days. */
  continuousBackup: z.boolean().default(true),
  /** AWS Backup Vault Lock on both vaults; after changeableForDays it can never be removed. */
  vaultLock: z
    .strictObject({
      minRetentionDays: days(36500),
      maxRetentionDays: days(36500),
      changeableForDays: z
        .int()
        .min(3, { error: "must be at least 3 (AWS minimum grace time)" })
        .max(36500),
    })
    .optional(),
  restoreTesting: z
    .strictObject({
      /** When restore tests start, as an AWS cron expression in UTC. */
      schedule: cron.default("cron(0 8 ? * SAT *)"),
      /** Only recovery points made in the last N days are tested. */
      selectionWindowDays: z.int().min(1).max(365).default(7),
      /** Hours a test job may wait to start. */
      startWindowHours: z.int().min(1).max(168).default(24),
      /** Hours the restored copy is kept for validation before it is deleted. */
      validationWindowHours: z.int().min(1).max(168).default(4),
    })
    .prefault({}),
  /** The recovery-region S3 backup bucket the data bucket is replicated into. */
  backupBucket: z
    .strictObject({
      /** S3 Object Lock (compliance mode) on the backup bucket; can be turned on later, never off. */
      objectLock: z.boolean().default(false),
      objectLockDays: days(36500).default(30),
      noncurrentToGlacierDays: days(36500).default(30),
      noncurrentExpireDays: days(36500).default(365),
    })
    .prefault({}),
});

export type BackupConfig = z.infer<typeof backupSchema>;

/** AWS Backup runs scheduled backups at most hourly. */
export function checkSchedule(schedule: string, fail: Fail): void {
  if (scheduleIntervalMinutes(schedule) < 60)
    fail(
      ["backup", "schedule"],
      schedule,
      "must run at most hourly: AWS Backup's shortest schedule is one hour",
    );
}

/** Combinations AWS Backup and S3 reject only when the plan or a job runs. */
export function checkBackup(backup: BackupConfig, fail: Fail): void {
  const { coldStorageAfterDays, vaultLock, backupBucket } = backup;
  // Only the primary recovery points move to cold storage; the copies' lifecycle has no cold tier.
  if (
    coldStorageAfterDays !== undefined &&
    backup.retentionDays < coldStorageAfterDays + 90
  ) {
    fail(
      ["backup", "retentionDays"],
      backup.retentionDays,
      `must be at least dr:backup.coldStorageAfterDays + 90 (${coldStorageAfterDays + 90}): cold storage keeps recovery points 90 days`,
    );
  }
  if (vaultLock) {
    if (vaultLock.minRetentionDays > vaultLock.maxRetentionDays) {
      fail(
        ["backup", "vaultLock", "minRetentionDays"],
        vaultLock.minRetentionDays,
        `must not exceed dr:backup.vaultLock.maxRetentionDays (${vaultLock.maxRetentionDays})`,
      );
    }
    for (const key of ["retentionDays", "copyRetentionDays"] as const) {
      if (
        backup[key] < vaultLock.minRetentionDays ||
        backup[key] > vaultLock.maxRetentionDays
      ) {
        fail(
          ["backup", key],
          backup[key],
          `must lie within the vault lock's ${vaultLock.minRetentionDays}..${vaultLock.maxRetentionDays} days, or the locked vault rejects the recovery points`,
        );
      }
    }
    if (backup.continuousBackup && vaultLock.minRetentionDays > 35) {
      fail(
        ["backup", "vaultLock", "minRetentionDays"],
        vaultLock.minRetentionDays,
        "must be at most 35 while dr:backup.continuousBackup is on (continuous backups are kept at most 35 days)",
      );
    }
  }
  if (
    backupBucket.noncurrentExpireDays <= backupBucket.noncurrentToGlacierDays
  ) {
    fail(
      ["backup", "backupBucket", "noncurrentExpireDays"],
      backupBucket.noncurrentExpireDays,
      `must exceed dr:backup.backupBucket.noncurrentToGlacierDays (${backupBucket.noncurrentToGlacierDays})`,
    );
  }
}
