import { z } from "zod";
import { MAX_CONTINUOUS_RETENTION_DAYS } from "@aws-dr/contracts";
import { days, dbInstanceClass, type Fail } from "./fields";

/** dr:database.engine: RDS for PostgreSQL, or Aurora PostgreSQL (a global database at the replica tiers). */
export const ENGINES = ["postgres", "aurora-postgresql"] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * The Aurora PostgreSQL version each major runs at creation (Aurora wants a full version; the
 * global database and its members agree on it). Minor upgrades after that are the global cluster's
 * (autoMinorVersionUpgrade on its instances), which the members' `ignoreChanges` lets happen.
 * Source: `aws rds describe-db-engine-versions --engine aurora-postgresql`, versions that support
 * global databases and write forwarding (Aurora PostgreSQL release notes, 2025).
 */
export const AURORA_ENGINE_VERSIONS: Record<string, string> = {
  "14": "14.15",
  "15": "15.10",
  "16": "16.6",
  "17": "17.4",
};

/** dr:database: the PostgreSQL database each site runs. */
export const databaseSchema = z
  .strictObject({
    engine: z
      .enum(ENGINES)
      .default("postgres")
      .describe(
        "postgres: an RDS for PostgreSQL instance per site (cross-region read replica at the replica tiers). aurora-postgresql: an Aurora cluster per site, a global database at the replica tiers (storage-level replication, managed failover and switchover by AWS, one writer endpoint that follows the writer). For the stack's life: changing it on a deployed stack is a data migration (docs/aurora.md#migrating-from-rds).",
      ),
    globalRpoSeconds: z
      .int()
      .min(20)
      .max(2147483647)
      .optional()
      .describe(
        "Aurora global database only: rds.global_db_rpo, the most seconds a secondary may lag before the writer holds commits until one catches up (a bound on data lost in a managed failover, paid for in write latency when the link is slow). At least 20. Unset: no bound (lag is typically under a second). At backup-restore (a regional cluster) it is unused.",
      ),
    engineVersion: z.coerce
      .string()
      .pipe(z.enum(["14", "15", "16", "17"]))
      .default("16")
      .describe(
        "PostgreSQL major version; changing it is a major upgrade in one `pulumi up`.",
      ),
    instanceClass: dbInstanceClass
      .default("db.t4g.medium")
      .describe(
        "RDS instance class of the primary database (of each Aurora instance), and of a promoted replica after failover. Aurora global databases take memory-optimized classes only (db.r*), not the burstable db.t* ones.",
      ),
    allocatedStorageGb: z
      .int()
      .min(20)
      .max(65536)
      .default(20)
      .describe(
        "Storage allocated at creation, in GiB; a restore takes longer the more there is. Aurora allocates none: what assess assumes a cluster stores.",
      ),
    maxAllocatedStorageGb: z
      .int()
      .min(20)
      .max(65536)
      .default(100)
      .describe(
        "Storage autoscaling's ceiling, in GiB; at least allocatedStorageGb.",
      ),
    backupRetentionDays: days(35)
      .optional()
      .describe(
        "Days RDS keeps automated backups (the point-in-time window). With dr:backup.continuousBackup on, AWS Backup owns it: leave it unset (it is min(dr:backup.retentionDays, 35)). Unset without continuous backup: 7.",
      ),
    multiAz: z
      .boolean()
      .default(true)
      .describe(
        "Multi-AZ primary database (Aurora: a writer and a reader in another zone); active-active's replica follows it.",
      ),
    dbName: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, {
        error: "must be a lowercase identifier such as app",
      })
      .default("app")
      .describe("Name of the app's database."),
    username: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,15}$/, {
        error: "must be a lowercase identifier of at most 16 characters",
      })
      .default("app")
      .describe("The database's master user name."),
    generation: z
      .int()
      .min(1)
      .default(1)
      .describe(
        "Which primary database serves: 1 for the first, one more after each failback of a replica tier (RDS cannot make the promoted database a replica again, so failback builds a successor).",
      ),
    restoreSnapshot: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Failover at backup-restore: the DB snapshot (identifier or ARN) to restore; pin the restored one here. Unset: the newest finished AWS Backup copy in the recovery region.",
      ),
  })
  .describe("The PostgreSQL database each site runs.");

/** Aurora instances per site where one is Multi-AZ: a writer and a reader in another zone. */
export function auroraInstanceCount(multiAz: boolean): number {
  return multiAz ? 2 : 1;
}

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
