import { Region } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { scheduleIntervalMinutes } from "./objectives";
import {
  describeMiss,
  missedTargets,
  type ModelInputs,
} from "./recovery-model";
import { TIER_MODEL, TIERS, type Tier } from "./tiers";
import { cidrsOverlap, isAwsCron, isRegion, isVpcCidr } from "./validators";

/** Continuous backups (point-in-time recovery) are kept at most 35 days. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/**
 * dr:failback: the steps of leaving a failover, one `pulumi up` each (README, "Failback").
 * backup-restore: release (guards off), then dr:failover=false.
 * Standby tiers: reseed (a new primary-region database replicates the promoted one), then promote
 * (it serves again, with dr:failover=false), then none with dr:database.generation + 1.
 */
export const FAILBACK_STEPS = ["none", "release", "reseed", "promote"] as const;
type FailbackStep = (typeof FAILBACK_STEPS)[number];

/** Where each failback step is taken: while failed over or not, and at which tiers. */
const FAILBACK_RULES: Record<
  Exclude<FailbackStep, "none">,
  { failover: boolean; tiers: readonly Tier[] }
> = {
  release: { failover: true, tiers: ["backup-restore"] },
  reseed: {
    failover: true,
    tiers: ["pilot-light", "warm-standby", "active-active"],
  },
  promote: {
    failover: false,
    tiers: ["pilot-light", "warm-standby", "active-active"],
  },
};

/** The Pulumi config namespace of every key this program reads. */
export const NAMESPACE = "dr";

/** The regions the AWS provider knows: a well-formed but made-up code (us-east-3) fails only at `pulumi up`. */
const KNOWN_REGIONS: ReadonlySet<string> = new Set(
  // The commercial partition only: ARNs the program builds are arn:aws:...
  Object.values(Region).filter((r) => !/^cn-|-gov-|-iso/.test(r)),
);
const isKnownRegion = (value: string) =>
  isRegion(value) && KNOWN_REGIONS.has(value);
const region = z.string().superRefine((value, ctx) => {
  if (!isRegion(value))
    ctx.addIssue({
      code: "custom",
      input: value,
      message: "must be an AWS region code such as us-east-1",
    });
  else if (!KNOWN_REGIONS.has(value))
    ctx.addIssue({
      code: "custom",
      input: value,
      message:
        "is not an AWS region of the commercial partition the AWS provider knows (see `aws account list-regions`)",
    });
});
const vpcCidr = z.string().refine(isVpcCidr, {
  error:
    "must be an aligned IPv4 CIDR block from /16 to /23, such as 10.0.0.0/16",
});
const cron = z.string().refine(isAwsCron, {
  error: "must be an AWS cron expression such as cron(0 5 ? * * *)",
});
const amiId = z.string().regex(/^ami-[0-9a-f]{8,17}$/, {
  error: "must be an AMI id such as ami-0123456789abcdef0",
});
const acmArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, {
    error: "must be an ACM certificate ARN",
  });
const count = (max: number) => z.int().min(0).max(max);
/** An RDS instance class such as db.t4g.medium. */
export const dbInstanceClass = z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, {
  error: "must be an RDS instance class such as db.t4g.medium",
});
const days = (max: number) => z.int().min(1).max(max);

const appSchema = z.strictObject({
  /** AMI the primary fleet launches. */
  amiId,
  /** AMI for the recovery region; when absent the primary AMI is copied there. */
  recoveryAmiId: amiId.optional(),
  instanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
      error: "must be an EC2 instance type such as t3.small",
    })
    .default("t3.small"),
  /** Fleet size bounds; Auto Scaling sets the desired size between them. */
  minSize: count(100).default(2),
  maxSize: count(100).default(4),
  /** Average CPU the target-tracking policy holds the fleet at, in percent. */
  cpuTargetPercent: z.number().min(10).max(90).default(50),
  /** Port the instances serve HTTP on. */
  port: z.int().min(1).max(65535).default(80),
  healthCheckPath: z
    .string()
    .regex(/^\/[\w\-./]*$/, { error: "must be an URL path starting with /" })
    .default("/health"),
  /** ACM certificates for HTTPS on the primary and recovery load balancers; HTTP only without. */
  certificateArn: acmArn.optional(),
  recoveryCertificateArn: acmArn.optional(),
  /** Root volume size in GiB. */
  volumeSizeGb: z.int().min(8).max(16384).default(20),
});

/** Availability zone names, checked against their region in checkZones. */
const zoneNames = z
  .array(z.string())
  .min(2, { error: "must list at least 2 availability zones" })
  .max(4, { error: "must list at most 4 availability zones" });

const networkSchema = z.strictObject({
  primaryCidr: vpcCidr.default("10.0.0.0/16"),
  recoveryCidr: vpcCidr.default("10.1.0.0/16"),
  /**
   * Zones of each region, in order (zone names differ between regions and accounts, e.g.
   * ap-northeast-1 has no "b"). Taken from config so no plan or failover has to ask the EC2 API;
   * subnets are cut by position in the list, so append zones, never reorder them.
   */
  primaryZones: zoneNames,
  recoveryZones: zoneNames,
  /** One NAT gateway for the VPC, or one per AZ so an AZ outage does not cut egress. */
  natGateways: z.enum(["single", "one-per-az"]).default("single"),
});

const databaseSchema = z.strictObject({
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

const routeWeight = z
  .int({ error: "must be a whole number 0-255" })
  .min(0)
  .max(255);

const dnsSchema = z.strictObject({
  /** Route 53 hosted zone holding the app's record. */
  zoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, {
    error: "must be a Route 53 hosted zone id such as Z0123456789ABC",
  }),
  /** Fully qualified name users reach the app at. */
  recordName: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      error: "must be a DNS name such as app.example.com",
    }),
  /**
   * active-active: each site's share of traffic, as Route 53 weights 0-255 (e.g. 80/20, 50/50);
   * not both 0, which Route 53 would read as "spread evenly". Default 50/50.
   */
  weights: z
    .strictObject({ primary: routeWeight, recovery: routeWeight })
    .optional(),
});

const backupSchema = z.strictObject({
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

const alertsSchema = z.strictObject({
  /** Address subscribed to both regions' alert topics (backup, copy and restore-test failures). */
  email: z.email({ error: "must be an email address" }).optional(),
});

const healthCheckSchema = z.strictObject({
  /** Seconds between Route 53's checks of each site's load balancer: 10 (fast, costs more) or 30. */
  intervalSeconds: z
    .union([z.literal(10), z.literal(30)], { error: "must be 10 or 30" })
    .default(30),
  /** Consecutive failed checks before a site counts as unhealthy, 1 to 10. */
  failureThreshold: z.int().min(1).max(10).default(3),
});

const logsSchema = z.strictObject({
  /** Days access logs (S3 server access logs, ALB logs) are kept. */
  retentionDays: days(3650).default(90),
});

const targetsSchema = z.strictObject({
  rtoMinutes: z.int().min(1).default(240),
  /** Default: a daily backup plus its cross-region copy (backup-restore's estimate). */
  rpoMinutes: z.int().min(1).default(1500),
});

const configSchema = z
  .strictObject({
    tier: z.enum(TIERS),
    failover: z.boolean().default(false),
    primaryRegion: region,
    recoveryRegion: region,
    /** Production data guards: deletion protection, final snapshots, Pulumi protect and retainOnDelete. */
    protectData: z.boolean().default(false),
    app: appSchema,
    network: networkSchema,
    database: databaseSchema.prefault({}),
    /** Database master password, set with `pulumi config set --secret`; generated when absent. */
    databasePassword: z
      .string()
      .min(16, { error: "must be at least 16 characters" })
      .regex(/^[^/@" ]+$/, { error: 'must not contain / @ " or spaces' })
      .optional(),
    backup: backupSchema.prefault({}),
    dns: dnsSchema.optional(),
    /** Route 53 health checks of each site's load balancer (path: dr:app.healthCheckPath). */
    healthCheck: healthCheckSchema.prefault({}),
    alerts: alertsSchema.prefault({}),
    logs: logsSchema.prefault({}),
    /**
     * A DynamoDB global table for session state, in both regions at every tier (so no tier switch
     * touches it): each region reads and writes its own replica.
     */
    sessionTable: z.boolean().default(false),
    /**
     * Failback steps while failed over. "release" lifts the production guards (deletion protection,
     * Pulumi protect) of the serving recovery site, so that the next step may remove it.
     */
    failback: z.enum(FAILBACK_STEPS).default("none"),
    targets: targetsSchema.prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const fail: Fail = (path, input, message) =>
      ctx.addIssue({ code: "custom", path, input, message });
    if (cfg.primaryRegion === cfg.recoveryRegion) {
      fail(
        ["recoveryRegion"],
        cfg.recoveryRegion,
        "must differ from dr:primaryRegion",
      );
    }
    if (cfg.app.minSize > cfg.app.maxSize) {
      fail(
        ["app", "minSize"],
        cfg.app.minSize,
        `must not exceed dr:app.maxSize (${cfg.app.maxSize})`,
      );
    }
    if (cfg.database.allocatedStorageGb > cfg.database.maxAllocatedStorageGb) {
      fail(
        ["database", "maxAllocatedStorageGb"],
        cfg.database.maxAllocatedStorageGb,
        `must be at least dr:database.allocatedStorageGb (${cfg.database.allocatedStorageGb})`,
      );
    }
    if (cidrsOverlap(cfg.network.primaryCidr, cfg.network.recoveryCidr)) {
      fail(
        ["network", "recoveryCidr"],
        cfg.network.recoveryCidr,
        `must not overlap dr:network.primaryCidr (${cfg.network.primaryCidr})`,
      );
    }
    checkZones(
      cfg.network.primaryZones,
      cfg.primaryRegion,
      ["network", "primaryZones"],
      fail,
    );
    checkZones(
      cfg.network.recoveryZones,
      cfg.recoveryRegion,
      ["network", "recoveryZones"],
      fail,
    );
    checkCertificateRegion(
      cfg.app.certificateArn,
      cfg.primaryRegion,
      ["app", "certificateArn"],
      fail,
    );
    checkCertificateRegion(
      cfg.app.recoveryCertificateArn,
      cfg.recoveryRegion,
      ["app", "recoveryCertificateArn"],
      fail,
    );
    // One scheme for the app's URL in both regions: HTTPS that falls back to HTTP on failover
    // would break every client pinned to https://.
    if (
      (cfg.app.certificateArn === undefined) !==
      (cfg.app.recoveryCertificateArn === undefined)
    ) {
      const [key, other] = cfg.app.certificateArn
        ? ["recoveryCertificateArn", "certificateArn"]
        : ["certificateArn", "recoveryCertificateArn"];
      fail(
        ["app", key],
        undefined,
        `must be set too when dr:app.${other} is: both sites serve HTTPS, or neither`,
      );
    }
    const weights = cfg.dns?.weights;
    if (weights && weights.primary + weights.recovery === 0)
      fail(
        ["dns", "weights"],
        weights,
        "must not all be 0: Route 53 spreads traffic evenly over records that all weigh 0; give the site that serves a weight of 1-255",
      );
    checkBackup(cfg.backup, fail);
    checkDatabaseRetention(cfg, fail);
    checkSchedule(cfg.backup.schedule, fail);
    if (cfg.failback !== "none") {
      const rule = FAILBACK_RULES[cfg.failback];
      if (rule.failover !== cfg.failover || !rule.tiers.includes(cfg.tier))
        fail(
          ["failback"],
          cfg.failback,
          `is a step taken at dr:tier ${rule.tiers.join(", ")} with dr:failover ${rule.failover}; set it back to "none" (README, "Failback")`,
        );
    }
  });

/** AWS Backup runs scheduled backups at most hourly. */
function checkSchedule(schedule: string, fail: Fail): void {
  if (scheduleIntervalMinutes(schedule) < 60)
    fail(
      ["backup", "schedule"],
      schedule,
      "must run at most hourly: AWS Backup's shortest schedule is one hour",
    );
}

/**
 * What the recovery model (recovery-model.ts) reads of a validated config. A tier key's
 * `replicaInstanceClass` is the standby replica's class at the tiers that use the key.
 */
export function modelInputs(cfg: DrConfig, tierKeys: TierKeys): ModelInputs {
  const settings = cfg as unknown as Record<
    string,
    { replicaInstanceClass?: string } | undefined
  >;
  return {
    backup: cfg.backup,
    healthCheck: cfg.healthCheck,
    database: cfg.database,
    replicaInstanceClass: Object.fromEntries(
      Object.entries(tierKeys).flatMap(([key, { usedBy }]) => {
        const replicaClass = settings[key]?.replicaInstanceClass;
        return replicaClass ? usedBy.map((tier) => [tier, replicaClass]) : [];
      }),
    ),
  };
}

/** Problems for the targets the configured tier misses under the recovery model. */
function targetProblems(cfg: DrConfig, tierKeys: TierKeys): string[] {
  return missedTargets(cfg.tier, modelInputs(cfg, tierKeys), cfg.targets).map(
    (miss) =>
      `${NAMESPACE}:targets.${miss.target} = ${miss.targetMinutes}: ${describeMiss(cfg.tier, miss)}`,
  );
}

/** Zone names must belong to the region: `<region><letter>`, each once. */
function checkZones(
  zones: string[],
  region: string,
  path: string[],
  fail: Fail,
): void {
  if (!isKnownRegion(region)) return; // reported on the region's own key
  const own = new RegExp(`^${region}[a-z]$`);
  if (
    !zones.every((z) => own.test(z)) ||
    new Set(zones).size !== zones.length
  ) {
    fail(
      path,
      zones,
      `must be distinct availability zone names of ${region}, such as ${region}a (see \`aws ec2 describe-availability-zones --region ${region}\`)`,
    );
  }
}

/** A load balancer takes only ACM certificates of its own region. */
function checkCertificateRegion(
  arn: string | undefined,
  region: string,
  path: string[],
  fail: Fail,
): void {
  if (arn === undefined) return;
  const certRegion = arn.split(":")[3];
  if (certRegion !== region)
    fail(
      path,
      arn,
      `must be a certificate of ${region}, where its load balancer runs; this one is in ${certRegion}`,
    );
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

function checkDatabaseRetention(
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

type Fail = (
  path: (string | number)[],
  input: unknown,
  message: string,
) => void;

/** Combinations AWS Backup and S3 reject only when the plan or a job runs. */
function checkBackup(backup: z.infer<typeof backupSchema>, fail: Fail): void {
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

export type DrConfig = z.infer<typeof configSchema>;
export type AppConfig = DrConfig["app"];
export type DatabaseConfig = DrConfig["database"];
export type NetworkConfig = DrConfig["network"];
export type BackupConfig = DrConfig["backup"];

/**
 * Invalid stack configuration. A RunError, so `pulumi up` prints the message without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: string[]) {
    super(
      `Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Keys whose values are secrets: never printed, and refused unless Pulumi holds them encrypted. */
const SECRET_KEYS = new Set(["databasePassword"]);

/**
 * A `dr:` key that belongs to tiers, not to every stack: its schema (with defaults for every field,
 * so switching to a tier needs no more than `dr:tier`) lives in the tier's folder.
 */
export interface TierKey {
  schema: z.ZodType;
  /** The tiers whose wiring reads it; set at another tier it is validated, kept and warned about. */
  usedBy: readonly Tier[];
  /**
   * Checks against the rest of the config, after both parsed: each problem names its key (a path
   * under this one), the value and what is allowed.
   */
  check?: (cfg: DrConfig & Record<string, unknown>) => TierKeyProblem[];
}

/** A problem a tier key's check finds. */
export interface TierKeyProblem {
  path: string[];
  input: unknown;
  message: string;
}
export type TierKeys = Record<string, TierKey>;
export type TierSettings<K extends TierKeys> = {
  [P in keyof K]: z.output<K[P]["schema"]>;
};

/**
 * Validates the `dr:` keys (without the namespace) and applies defaults: the shared keys and the
 * tiers' own keys, in one pass. Throws one ConfigError naming every bad key, its value and what is
 * allowed; a tier not in builtTiers is one of them. `secretKeys` are the keys (without the
 * namespace) Pulumi holds as secrets; a secret key such as dr:databasePassword set in plain text is
 * refused.
 */
export function parseConfig<K extends TierKeys = Record<never, TierKey>>(
  raw: Record<string, unknown>,
  builtTiers: readonly Tier[] = TIERS,
  tierKeys: K = {} as K,
  secretKeys: readonly string[] = [],
  /** Refuse targets the tier cannot meet (recovery-model.ts); `assess` reports them instead. */
  { checkTargets = true }: { checkTargets?: boolean } = {},
): DrConfig & TierSettings<K> {
  const tierShape = Object.fromEntries(
    Object.entries(tierKeys).map(([key, { schema }]) => [key, schema]),
  );
  const shared = Object.fromEntries(
    Object.entries(raw).filter(([key]) => !(key in tierShape)),
  );
  const own = Object.fromEntries(
    Object.entries(raw).filter(([key]) => key in tierShape),
  );
  const sharedResult = configSchema.safeParse(shared, { reportInput: true });
  const tierSchema = z.strictObject(tierShape);
  const tierResult = tierSchema.safeParse(own, { reportInput: true });
  const allowedTopLevel = [
    ...Object.keys(configSchema.shape),
    ...Object.keys(tierShape),
  ];
  const problems = [
    ...(sharedResult.error?.issues ?? []).flatMap((issue) =>
      describeIssue(issue, configSchema.shape, allowedTopLevel),
    ),
    ...(tierResult.error?.issues ?? []).flatMap((issue) =>
      describeIssue(issue, tierShape, allowedTopLevel),
    ),
  ];
  for (const key of SECRET_KEYS) {
    if (key in raw && !secretKeys.includes(key))
      problems.push(
        `${NAMESPACE}:${key} = [secret]: must be set with \`pulumi config set --secret\`; a plain-text value sits readable in the stack file`,
      );
  }
  const tier = raw.tier as Tier;
  if (TIERS.includes(tier) && !builtTiers.includes(tier)) {
    problems.unshift(
      `${NAMESPACE}:tier = "${tier}": this tier is not implemented yet; implemented tiers: ${builtTiers.join(", ")}`,
    );
  }
  if (sharedResult.success && tierResult.success) {
    const cfg = {
      ...sharedResult.data,
      ...(tierResult.data as TierSettings<K>),
    };
    for (const [key, { check }] of Object.entries(tierKeys))
      for (const p of check?.(cfg) ?? [])
        problems.push(
          `${NAMESPACE}:${[key, ...p.path].join(".")} = ${JSON.stringify(p.input)}: ${p.message}`,
        );
    if (checkTargets) problems.push(...targetProblems(cfg, tierKeys));
    if (problems.length === 0) return cfg;
  }
  throw new ConfigError(problems);
}

/** Tier keys set in a stack whose tier does not read them: kept, valid, and worth a warning. */
export function unusedTierKeys(
  raw: Record<string, unknown>,
  tier: Tier,
  tierKeys: TierKeys,
): string[] {
  return Object.entries(tierKeys)
    .filter(([key, { usedBy }]) => key in raw && !usedBy.includes(tier))
    .map(
      ([key, { usedBy }]) =>
        `${NAMESPACE}:${key} is set but not used at dr:tier ${tier} (used by ${usedBy.join(", ")}); it is validated and kept for a switch to those tiers`,
    );
}

/** Shared keys that only some tiers read, set at another tier: valid, kept, warned about. */
export function unusedSharedKeys(cfg: DrConfig): string[] {
  if (cfg.dns?.weights && TIER_MODEL[cfg.tier].routing !== "weighted")
    return [
      `${NAMESPACE}:dns.weights is set but not used at dr:tier ${cfg.tier} (used by active-active: the other tiers send traffic to one site); it is validated and kept for a switch to that tier`,
    ];
  return [];
}

function describeIssue(
  issue: z.core.$ZodIssue,
  rootShape: z.core.$ZodShape,
  allowedTopLevel: string[],
): string[] {
  const key = (path: PropertyKey[]) =>
    `${NAMESPACE}:${path.map(String).join(".")}`;
  if (issue.code === "unrecognized_keys") {
    const allowed =
      issue.path.length === 0
        ? allowedTopLevel
        : allowedKeys(rootShape, issue.path);
    return issue.keys.map(
      (k) =>
        `${key([...issue.path, k])}: unknown key; allowed here: ${allowed.join(", ")}`,
    );
  }
  const secret = issue.path.some((p) => SECRET_KEYS.has(String(p)));
  const value = secret
    ? "[secret]"
    : issue.input === undefined
      ? "(not set)"
      : JSON.stringify(issue.input);
  return [`${key(issue.path)} = ${value}: ${issue.message}`];
}

/** The keys a schema allows at a path, for unknown-key messages. */
function allowedKeys(
  rootShape: z.core.$ZodShape,
  path: PropertyKey[],
): string[] {
  let shape = rootShape as Record<string, z.ZodType>;
  for (const part of path) {
    const inner = unwrap(shape[String(part)]);
    shape =
      inner instanceof z.ZodObject
        ? (inner.shape as Record<string, z.ZodType>)
        : {};
  }
  return Object.keys(shape);
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current: unknown = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault
  ) {
    current = current.unwrap();
  }
  return current as z.ZodType | undefined;
}

/**
 * The `dr:` keys of the running stack's config, with structured and scalar values decoded from the
 * strings Pulumi stores them as ("true" -> true, "3" -> 3, objects from JSON).
 */
export function readStackConfig(): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    const [namespace, key] = fullKey.split(":", 2);
    if (namespace === NAMESPACE) raw[key] = decodeConfigValue(value);
  }
  return raw;
}

/** A config value as JSON when it parses as JSON, else the string itself. */
export function decodeConfigValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Whether Pulumi holds a config key (with its namespace) as a secret: set with `--secret`, or one
 * of the secret keys of the mock runtime's setAllConfig. The SDK exports it untyped.
 */
function isConfigSecret(fullKey: string): boolean {
  const runtime = pulumi.runtime as unknown as {
    isConfigSecret?: (key: string) => boolean;
  };
  if (typeof runtime.isConfigSecret !== "function")
    throw new Error(
      "this @pulumi/pulumi no longer exports runtime.isConfigSecret; secret config cannot be told from plain text",
    );
  return runtime.isConfigSecret(fullKey);
}

/** Reads and validates the running stack's config; call before creating any resource. */
export function loadConfig<K extends TierKeys>(
  builtTiers: readonly Tier[],
  tierKeys: K,
): { cfg: DrConfig & TierSettings<K>; warnings: string[] } {
  const raw = readStackConfig();
  const secretKeys = Object.keys(raw).filter((key) =>
    isConfigSecret(`${NAMESPACE}:${key}`),
  );
  const cfg = parseConfig(raw, builtTiers, tierKeys, secretKeys);
  return {
    cfg,
    warnings: [
      ...unusedTierKeys(raw, cfg.tier, tierKeys),
      ...unusedSharedKeys(cfg),
    ],
  };
}
