import { z } from "zod";
import { scheduleIntervalMinutes } from "../schedule";
import { cron, days, type Fail } from "./fields";

/** dr:backup: AWS Backup, restore testing and the replicated backup bucket. */
export const backupSchema = z
  .strictObject({
    schedule: cron
      .default("cron(0 5 ? * * *)")
      .describe(
        "When the scheduled backup starts, an AWS cron expression in UTC, at most hourly; at backup-restore its interval plus the copy's delay is the database's RPO.",
      ),
    retentionDays: days(36500)
      .default(35)
      .describe(
        "Days a recovery point is kept in the primary vault; at least coldStorageAfterDays + 90.",
      ),
    coldStorageAfterDays: days(36500)
      .optional()
      .describe(
        "Days after which primary recovery points move to cold storage, where AWS keeps them at least 90 more. Unset: never.",
      ),
    copyRetentionDays: days(36500)
      .default(35)
      .describe("Days the copy in the recovery-region vault is kept."),
    continuousBackup: z
      .boolean()
      .default(true)
      .describe(
        "Continuous backup (point-in-time recovery) of the database and the data bucket, kept min(retentionDays, 35) days.",
      ),
    vaultLock: z
      .strictObject({
        minRetentionDays: days(36500).describe(
          "Shortest retention the locked vaults accept: retentionDays and copyRetentionDays must lie within the lock's range, and it is at most 35 with continuousBackup on.",
        ),
        maxRetentionDays: days(36500).describe(
          "Longest retention the locked vaults accept.",
        ),
        changeableForDays: z
          .int()
          .min(3, { error: "must be at least 3 (AWS minimum grace time)" })
          .max(36500)
          .describe(
            "Days the lock may still be changed or removed; after that it is compliance mode, never removable.",
          ),
      })
      .optional()
      .describe(
        "AWS Backup Vault Lock on both vaults (on in prod). Unset: no lock.",
      ),
    isolatedCopy: z
      .strictObject({
        retentionDays: days(36500)
          .default(35)
          .describe(
            "Days each copy is kept in the logically air-gapped vault; within minRetentionDays..maxRetentionDays.",
          ),
        minRetentionDays: z
          .int()
          .min(7, {
            error:
              "must be at least 7 (AWS minimum for a logically air-gapped vault)",
          })
          .max(36500)
          .default(7)
          .describe(
            "Shortest retention the air-gapped vault accepts (compliance lock, AWS minimum 7). Fixed when the vault is created: a change replaces the vault.",
          ),
        maxRetentionDays: days(36500)
          .default(3650)
          .describe(
            "Longest retention the air-gapped vault accepts. Fixed when the vault is created: a change replaces the vault.",
          ),
        shareWithAccountId: z
          .string()
          .regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id" })
          .optional()
          .describe(
            "The recovery account the vault is shared with through AWS RAM, so it can restore the copies when this account is lost. Unset: not shared.",
          ),
      })
      .optional()
      .describe(
        "A logically air-gapped vault (AWS-owned account, always compliance-locked) in the recovery region (the primary with Aurora, which AWS copies into it only within a Region), which every backup rule copies to (on in prod). Unset: no isolated copy.",
      ),
    audit: z
      .strictObject({
        configRecorder: z
          .boolean()
          .default(false)
          .describe(
            "The account records AWS Config in the primary region (a recorder is one per account and region and no stack owns it: docs/guardrails.md). On: an AWS Backup Audit Manager framework and its daily reports.",
          ),
        reportObjectLockDays: days(36500)
          .default(365)
          .describe(
            "Days S3 Object Lock (compliance mode) keeps each audit report in the report bucket.",
          ),
      })
      .prefault({})
      .describe(
        "AWS Backup Audit Manager: a framework of controls matching the stack's backup promises, reported daily to a locked bucket.",
      ),
    restoreTesting: z
      .strictObject({
        schedule: cron
          .default("cron(0 8 ? * SAT *)")
          .describe("When restore tests start, an AWS cron expression in UTC."),
        selectionWindowDays: z
          .int()
          .min(1)
          .max(365)
          .default(7)
          .describe("Only recovery points made in the last N days are tested."),
        startWindowHours: z
          .int()
          .min(1)
          .max(168)
          .default(24)
          .describe("Hours a test job may wait to start."),
        validationWindowHours: z
          .int()
          .min(1)
          .max(168)
          .default(4)
          .describe(
            "Hours a restored copy is kept for validation before AWS deletes it.",
          ),
      })
      .prefault({})
      .describe(
        "AWS Backup restore testing in both regions: the newest recovery points of the database and the data bucket, restored into each region's network (the recovery vault's copies too, and the air-gapped vault's snapshots with isolatedCopy).",
      ),
    backupBucket: z
      .strictObject({
        objectLock: z
          .boolean()
          .default(false)
          .describe(
            "S3 Object Lock (compliance mode) on the backup bucket (on in prod); can be turned on later, never off.",
          ),
        objectLockDays: days(36500)
          .default(30)
          .describe("Days Object Lock keeps each object version."),
        noncurrentToGlacierDays: days(36500)
          .default(30)
          .describe("Days after which noncurrent versions move to Glacier."),
        noncurrentExpireDays: days(36500)
          .default(365)
          .describe(
            "Days after which noncurrent versions expire; more than noncurrentToGlacierDays.",
          ),
      })
      .prefault({})
      .describe(
        "The recovery-region S3 bucket the data bucket is replicated into.",
      ),
  })
  .describe(
    "AWS Backup (a vault per region, one plan copied to the recovery vault), restore testing and the replicated backup bucket.",
  );

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
  checkIsolatedCopy(backup, fail);
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

/** The air-gapped vault's lock refuses copies whose retention lies outside its range. */
function checkIsolatedCopy(backup: BackupConfig, fail: Fail): void {
  const isolated = backup.isolatedCopy;
  if (!isolated) return;
  const { minRetentionDays, maxRetentionDays, retentionDays } = isolated;
  if (minRetentionDays > maxRetentionDays) {
    fail(
      ["backup", "isolatedCopy", "minRetentionDays"],
      minRetentionDays,
      `must not exceed dr:backup.isolatedCopy.maxRetentionDays (${maxRetentionDays})`,
    );
  } else if (
    retentionDays < minRetentionDays ||
    retentionDays > maxRetentionDays
  ) {
    fail(
      ["backup", "isolatedCopy", "retentionDays"],
      retentionDays,
      `must lie within the air-gapped vault's ${minRetentionDays}..${maxRetentionDays} days, or the vault refuses every copy`,
    );
  }
}
