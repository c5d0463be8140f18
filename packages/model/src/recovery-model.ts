import { scheduleIntervalMinutes } from "./schedule";
import { TIERS, type Tier, type TierProfile, type TierProfiles } from "./tiers";

/**
 * The times the model assumes, in minutes, each named. Where AWS publishes a bound (RTC's 15
 * minutes) it is that bound; the rest are conservative planning figures for this workload's sizes,
 * to be replaced by what game days and restore tests measure.
 */
export const ASSUMED_MINUTES = {
  /** S3 Replication Time Control: 99.99% of objects replicated within 15 minutes (AWS SLA). */
  s3Replication: 15,
  /** An AWS Backup cross-region copy finishing after its backup job. */
  backupCopy: 60,
  /** Route 53 alias answers for a load balancer carry its 60 s TTL. */
  dnsTtl: 1,
  /** A failover `pulumi up`: start, refresh-free preview, Route 53 change propagation. */
  deploy: 3,
  /** Restoring an RDS snapshot: instance creation before any data. */
  restoreBase: 30,
  /** ... plus this per started 100 GB of allocated storage. */
  restorePer100Gb: 10,
  /** Promoting an RDS read replica to a standalone database. */
  promote: 5,
  /**
   * The failover's resize step after service is back: the promoted replica to the primary's
   * class and Multi-AZ (a reboot or a standby's creation), with backups turned on.
   */
  resize: 10,
  /**
   * ... of which writes stop while RDS restarts the instance: backup retention from 0 to N days
   * restarts any instance, a class change a single-AZ one (both in one ModifyDBInstance, one restart).
   */
  resizeOutage: 5,
  /** Building a site from nothing: load balancer, NAT gateway, Auto Scaling group. */
  siteBuild: 10,
  /** A fleet from zero: NAT gateway, instance launch, boot and warm-up. */
  launchFromZero: 8,
  /** A running small fleet growing to full size. */
  scaleUp: 4,
} as const;

/** One named part of an estimate. */
export interface Part {
  name: string;
  minutes: number;
  /** How the minutes come about, e.g. "10 s x 3". */
  basis: string;
}

/** An RPO or RTO estimate: its parts, how they combine, and the result. */
export interface Estimate {
  minutes: number;
  formula: string;
  parts: Part[];
  /** What follows once service is back, not counted in the minutes (the failover's resize step). */
  then?: Part;
}

/** What the model reads of a stack's config. */
export interface ModelInputs {
  backup: { schedule: string };
  healthCheck: { intervalSeconds: number; failureThreshold: number };
  database: { instanceClass: string; allocatedStorageGb: number };
  /** The standby replica's class at each replica tier (default: the primary's). */
  replicaInstanceClass: Partial<Record<Tier, string | undefined>>;
}

const part = (name: string, minutes: number, basis: string): Part => ({
  name,
  minutes: Math.round(minutes * 10) / 10,
  basis,
});

/**
 * The worst-case data loss at a tier: the older of the database's and the objects' newest copy in
 * the recovery region. Backup-restore: the backup interval plus the copy's delay. Replica tiers:
 * the replica lag the alarm allows (dr:targets.rpoMinutes). Objects: S3 RTC at every tier.
 */
export function estimateRpo(
  profile: TierProfile,
  inputs: ModelInputs,
  rpoAlarmMinutes: number,
): Estimate {
  const objects = part(
    "S3 replication (RTC)",
    ASSUMED_MINUTES.s3Replication,
    "AWS's RTC bound",
  );
  if (!profile.liveReplicas) {
    const interval = scheduleIntervalMinutes(inputs.backup.schedule);
    const backup = part("backup interval", interval, inputs.backup.schedule);
    const copy = part(
      "cross-region copy delay",
      ASSUMED_MINUTES.backupCopy,
      "assumed",
    );
    return {
      minutes: Math.max(backup.minutes + copy.minutes, objects.minutes),
      formula:
        "max(backup interval + cross-region copy delay, S3 replication (RTC))",
      parts: [backup, copy, objects],
    };
  }
  const lag = part(
    "replica lag alarm threshold",
    rpoAlarmMinutes,
    "dr:targets.rpoMinutes",
  );
  return {
    minutes: Math.max(lag.minutes, objects.minutes),
    formula: "max(replica lag alarm threshold, S3 replication (RTC))",
    parts: [lag, objects],
  };
}

/**
 * The time from the primary's failure to full service in the recovery region: detection by the
 * health checks, the failover `pulumi up`, the database (restore or promotion, in parallel with the
 * fleet), the fleet (built, launched from zero, scaled up, or already serving), then DNS.
 */
export function estimateRto(
  profile: TierProfile,
  inputs: ModelInputs,
): Estimate {
  const { intervalSeconds, failureThreshold } = inputs.healthCheck;
  const detection = part(
    "detection",
    (intervalSeconds * failureThreshold) / 60,
    `${intervalSeconds} s interval x ${failureThreshold} failed checks`,
  );
  const deploy = part("failover pulumi up", ASSUMED_MINUTES.deploy, "assumed");
  const dns = part("DNS TTL", ASSUMED_MINUTES.dnsTtl, "alias TTL 60 s");
  const database = databasePart(profile, inputs);
  const compute = COMPUTE_PART[profile.standbyFleet];
  return {
    minutes:
      Math.round(
        (detection.minutes +
          deploy.minutes +
          Math.max(database.minutes, compute.minutes) +
          dns.minutes) *
          10,
      ) / 10,
    formula:
      "detection + failover pulumi up + max(database, compute) + DNS TTL",
    parts: [detection, deploy, database, compute, dns],
    then: profile.liveReplicas ? resizePart(profile, inputs) : undefined,
  };
}

/** The failover's second step at a replica tier: serving already, the database grows. */
function resizePart(profile: TierProfile, inputs: ModelInputs): Part {
  const { instanceClass } = inputs.database;
  const replicaClass =
    inputs.replicaInstanceClass[profile.tier] ?? instanceClass;
  return part(
    "then: resize step (dr:failoverStep=resize)",
    ASSUMED_MINUTES.resize,
    `${replicaClass === instanceClass ? "" : `${replicaClass} -> ${instanceClass}, `}Multi-AZ and backups as the primary's; writes stop ~${ASSUMED_MINUTES.resizeOutage} min while RDS restarts it, so run it in a quiet hour`,
  );
}

function databasePart(profile: TierProfile, inputs: ModelInputs): Part {
  const { allocatedStorageGb } = inputs.database;
  if (!profile.liveReplicas) {
    const hundreds = Math.ceil(allocatedStorageGb / 100);
    return part(
      "database restore",
      ASSUMED_MINUTES.restoreBase + hundreds * ASSUMED_MINUTES.restorePer100Gb,
      `${ASSUMED_MINUTES.restoreBase} min + ${ASSUMED_MINUTES.restorePer100Gb} min x ${hundreds} (per started 100 GB of ${allocatedStorageGb} GB)`,
    );
  }
  // Writes resume once the replica is promoted: its resize is the next step (resizePart).
  return part(
    "database promotion",
    ASSUMED_MINUTES.promote,
    "replica promoted, nothing else changed",
  );
}

/** The fleet's part of the RTO, by what the tier keeps running in the recovery region. */
const COMPUTE_PART: Record<TierProfile["standbyFleet"], Part> = {
  none: part(
    "compute: site built and launched",
    ASSUMED_MINUTES.siteBuild + ASSUMED_MINUTES.launchFromZero,
    "site build + launch from zero",
  ),
  zero: part(
    "compute: launch from zero",
    ASSUMED_MINUTES.launchFromZero,
    "fleet at 0",
  ),
  small: part(
    "compute: scale up the small fleet",
    ASSUMED_MINUTES.scaleUp,
    "small fleet running",
  ),
  full: part("compute: none", 0, "full fleet serving"),
};

/** A target a tier misses, and the largest part of the estimate: what to change first. */
export interface Miss {
  target: "rtoMinutes" | "rpoMinutes";
  targetMinutes: number;
  estimate: Estimate;
  culprit: Part;
}

/** The targets the tier misses under the model, each with the part that breaks it. */
export function missedTargets(
  profile: TierProfile,
  inputs: ModelInputs,
  targets: { rtoMinutes: number; rpoMinutes: number },
): Miss[] {
  const misses: Miss[] = [];
  const check = (target: Miss["target"], estimate: Estimate) => {
    if (estimate.minutes > targets[target])
      misses.push({
        target,
        targetMinutes: targets[target],
        estimate,
        culprit: estimate.parts.reduce((a, b) =>
          b.minutes > a.minutes ? b : a,
        ),
      });
  };
  check("rpoMinutes", estimateRpo(profile, inputs, targets.rpoMinutes));
  check("rtoMinutes", estimateRto(profile, inputs));
  return misses;
}

/** The sentence a config error and `assess` both print for a miss. */
export function describeMiss(tier: Tier, miss: Miss): string {
  return `cannot be met at ${tier}: the estimate is ${miss.estimate.minutes} min (${miss.estimate.formula}), and ${miss.culprit.name} alone takes ${miss.culprit.minutes} min; choose a higher dr:tier, change that part or raise the target (npm run assess)`;
}

/** Both estimates at every tier, cheapest first. */
export function assessTiers(
  profiles: TierProfiles,
  inputs: ModelInputs,
  targets: { rtoMinutes: number; rpoMinutes: number },
) {
  return TIERS.map((tier) => ({
    tier,
    rpo: estimateRpo(profiles[tier], inputs, targets.rpoMinutes),
    rto: estimateRto(profiles[tier], inputs),
    misses: missedTargets(profiles[tier], inputs, targets),
  }));
}
