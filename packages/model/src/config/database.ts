import { z } from "zod";
import { MAX_CONTINUOUS_RETENTION_DAYS } from "@aws-dr/contracts";
import { days, dbInstanceClass, type Fail } from "./fields";

/** dr:database: the PostgreSQL database each site runs. */
export const databaseSchema = z.strictObject({
  /** PostgreSQL major version. */
  engineVersion: z.coerce
    .string()
    .pipe(z.enum(["14", "15", "16", "17"]))
    .default("16"),
  instanceClass: dbInstanceClass.default("db.t4g.medium"),
  allocatedStorageGb: z.int().min(20).max(65536).default(20),
  maxAllocatedStorageGb: z.int().min(20).max(65536).default(100),
  /**
   * Days RDS keeps automated backups (point-in-time restore window). With dr:backup.continuousBackup
   * on (the default) AWS Backup owns this value: it is min(dr:backup.retentionDays, 35) and may only
   * be left unset or set to that. Otherwise default 7.
   */
  backupRetentionDays: days(35).optional(),
  multiAz: z.boolean().default(true),
  dbName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, {
      error: "must be a lowercase identifier such as app",
    })
    .default("app"),
  username: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,15}$/, {
      error: "must be a lowercase identifier of at most 16 characters",
    })
    .default("app"),
  /**
   * Which primary database serves: 1 for the first, one more after each standby failback (RDS
   * cannot turn the promoted database back into a replica, so failback builds a successor).
   */
  generation: z.int().min(1).default(1),
  /** Recovery: restore from this DB snapshot (identifier or ARN) instead of the newest AWS Backup copy. */
  restoreSnapshot: z.string().min(1).optional(),
});

/**
 * Continuous backup makes AWS Backup the owner of the database's backup retention: it sets it to the
 * rule's retention, refuses other values, and a differing value in the program would fail every
 * `pulumi up` that touches the database.
 */
export function databaseBackupRetentionDays(cfg: {
  database: { backupRetentionDays?: number };
  backup: { continuousBackup: boolean; retentionDays: number };
}): number {
  return cfg.backup.continuousBackup
    ? Math.min(cfg.backup.retentionDays, MAX_CONTINUOUS_RETENTION_DAYS)
    : (cfg.database.backupRetentionDays ?? 7);
}

export function checkDatabaseRetention(
  cfg: Parameters<typeof databaseBackupRetentionDays>[0],
  fail: Fail,
): void {
  const set = cfg.database.backupRetentionDays;
  const owned = databaseBackupRetentionDays(cfg);
  if (cfg.backup.continuousBackup && set !== undefined && set !== owned) {
    fail(
      ["database", "backupRetentionDays"],
      set,
      `must be unset or ${owned} while dr:backup.continuousBackup is on: AWS Backup then keeps the database's automated backups min(dr:backup.retentionDays, 35) days and refuses other values`,
    );
  }
}
