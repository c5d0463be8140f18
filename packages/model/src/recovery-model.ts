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
  /**
   * Cross-region replica lag in normal operation: seconds, up to about a minute in write bursts.
   * Not a bound: a lag that grows stays unreported until it passes the lag alarm's threshold, so
   * the threshold (dr:alerts.replicaLagMinutes) is what the RPO counts, and it must sit above this.
   */
  replicaLag: 1,
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
   * The primary record's data-plane fence in effect: the fence alarm (CloudWatch, recovery region)
   * goes to ALARM within its one-minute period, and Route 53's health checkers read it in about a
   * minute more. No Route 53 control-plane call.
   */
  fence: 2,
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
  /**
   * Aurora global database: a managed failover (failover-global-cluster --allow-data-loss) to a
   * secondary with an instance. AWS: "typically under a minute" (Aurora Global Database product
   * page: promote a secondary to take full read/write in under a minute); the user guide's DR
   * chapter says "within a few minutes". The lower figure, to be replaced by a drill's.
   */
  auroraFailover: 1,
  /**
   * Aurora: adding an instance to a headless secondary (the stand-in) before it can take the
   * failover. AWS publishes no figure; about 10 to 15 minutes is what users report: the upper end.
   */
  auroraAddInstance: 15,
  /**
   * Aurora global database replication lag in normal operation: "typically under a second" (Aurora
   * user guide, "Using Amazon Aurora global databases"). Not a bound: rds.global_db_rpo is.
   */
  auroraLag: 1 / 60,
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
  /**
   * The part that decides the most of the minutes: the largest of the term the result comes from
   * (a max takes one term, a sum all). What to change first when a target is missed.
   */
  decidedBy: Part;
  /** What follows once service is back, not counted in the minutes (the failover's resize step). */
  then?: Part;
}

/** What the model reads of a stack's config. */
export interface ModelInputs {
  backup: { schedule: string };
  healthCheck: { intervalSeconds: number; failureThreshold: number };
  database: {
    instanceClass: string;
    allocatedStorageGb: number;
    engine?: "postgres" | "aurora-postgresql";
    /** dr:database.globalRpoSeconds: rds.global_db_rpo. */
    globalRpoSeconds?: number;
  };
  /** dr:alerts.replicaLagMinutes: the replica-lag alarms' threshold (replicaLagAlarm). */
  alerts: { replicaLagMinutes: number };
  /** The standby replica's class at each replica tier (default: the primary's). */
  replicaInstanceClass: Partial<Record<Tier, string | undefined>>;
}

/**
 * A CloudWatch alarm on a replication lag: ALARM once the lag has exceeded the threshold in each of
 * `evaluationPeriods` consecutive periods of `periodSeconds`.
 */
export interface LagAlarm {
  thresholdMinutes: number;
  periodSeconds: number;
  evaluationPeriods: number;
}

/**
 * The replica-lag alarm on a cross-region replica (the standby, a failback's successor): its
 * threshold is dr:alerts.replicaLagMinutes, set apart from dr:targets, because the replica tiers'
 * RPO rests on it (estimateRpo). An alarm at the target would make any target look met.
 */
export function replicaLagAlarm(alerts: {
  replicaLagMinutes: number;
}): LagAlarm {
  return {
    thresholdMinutes: alerts.replicaLagMinutes,
    periodSeconds: 60,
    evaluationPeriods: 5,
  };
}

/**
 * The S3 replication latency alarm: past RTC's 15 minutes, the bound the RPO assumes for objects,
 * so an alarm says when that assumption no longer holds (whatever dr:targets says).
 */
export const S3_LATENCY_ALARM: LagAlarm = {
  thresholdMinutes: ASSUMED_MINUTES.s3Replication,
  periodSeconds: 300,
  evaluationPeriods: 1,
};

/** How long a lag past the alarm's threshold goes unreported: every period must breach. */
const alarmWindowMinutes = (alarm: LagAlarm) =>
  (alarm.periodSeconds * alarm.evaluationPeriods) / 60;

const round = (minutes: number) => Math.round(minutes * 10) / 10;
const part = (name: string, minutes: number, basis: string): Part => ({
  name,
  minutes: round(minutes),
  basis,
});
const sum = (parts: Part[]) => round(parts.reduce((t, p) => t + p.minutes, 0));
/** The largest part; the first of equals. */
const largest = (parts: Part[]) =>
  parts.reduce((a, b) => (b.minutes > a.minutes ? b : a));
/**
 * max(sum of one group, sum of another, ...): the minutes and the part that decides them. Of equal
 * groups the last wins: the fixed bound (RTC) goes last, so a tie names what no setting changes.
 */
function maxOfSums(groups: Part[][]): { minutes: number; decidedBy: Part } {
  const winner = groups.reduce((a, b) => (sum(b) >= sum(a) ? b : a));
  return { minutes: sum(winner), decidedBy: largest(winner) };
}

/**
 * The worst-case data loss at a tier, as the config bounds it, never the target itself: the older
 * of the database's and the objects' newest copy in the recovery region, while no alarm has fired.
 * Backup-restore: the backup interval plus the copy's delay. Replica tiers: what the replica had not
 * applied at the failure, at worst the lag the alarm tolerates (its threshold, dr:alerts.
 * replicaLagMinutes) plus its window (a lag past the threshold is reported only once every period
 * of it breached); normal lag, seconds, is below the threshold. Objects: S3 RTC at every tier (the
 * data bucket replicates with RTC at every tier, and the app's objects are data).
 */
export function estimateRpo(
  profile: TierProfile,
  inputs: ModelInputs,
): Estimate {
  const objects = part(
    "S3 replication (RTC)",
    ASSUMED_MINUTES.s3Replication,
    `AWS's RTC SLA: 99.99% of objects within ${ASSUMED_MINUTES.s3Replication} min; alarmed past it`,
  );
  if (onGlobalDatabase(profile, inputs)) return auroraRpo(inputs, objects);
  if (!profile.liveReplicas) {
    const interval = scheduleIntervalMinutes(inputs.backup.schedule);
    const backup = part(
      "backup interval",
      interval,
      `dr:backup.schedule ${inputs.backup.schedule}`,
    );
    const copy = part(
      "cross-region copy delay",
      ASSUMED_MINUTES.backupCopy,
      "assumed",
    );
    return {
      ...maxOfSums([[backup, copy], [objects]]),
      formula:
        "max(backup interval + cross-region copy delay, S3 replication (RTC))",
      parts: [backup, copy, objects],
    };
  }
  const alarm = replicaLagAlarm(inputs.alerts);
  const threshold = part(
    "replica lag alarm threshold",
    alarm.thresholdMinutes,
    `dr:alerts.replicaLagMinutes; normal cross-region lag, assumed at most ${ASSUMED_MINUTES.replicaLag} min, stays below it`,
  );
  const window = part(
    "lag alarm window",
    alarmWindowMinutes(alarm),
    `${alarm.periodSeconds} s period x ${alarm.evaluationPeriods} breaching periods before the alarm fires`,
  );
  return {
    ...maxOfSums([[threshold, window], [objects]]),
    formula:
      "max(replica lag alarm threshold + lag alarm window, S3 replication (RTC))",
    parts: [threshold, window, objects],
  };
}

/**
 * The time from the primary's failure to full service in the recovery region: detection by the
 * health checks, the failover `pulumi up`, the database (restore or promotion), the fleet (built,
 * launched from zero, scaled up, or already serving) and the primary record's fence in parallel,
 * then DNS. Not counted: the decision to fail over (a human's, between detection and the run: add
 * your own), and whatever comes after service is back (the resize step, named as `then`; the
 * failback's steps, which fence the primary site and move traffic back, are another operation).
 * The fence is a data-plane change (an alarm Route 53's health checkers read), which the failover
 * run makes first and nothing waits for: it counts only where it would take longer than the
 * database and the fleet.
 */
export function estimateRto(
  profile: TierProfile,
  inputs: ModelInputs,
): Estimate {
  const detection = detectionPart(inputs);
  if (onGlobalDatabase(profile, inputs)) return auroraRto(profile, detection);
  const deploy = part("failover pulumi up", ASSUMED_MINUTES.deploy, "assumed");
  const dns = part("DNS TTL", ASSUMED_MINUTES.dnsTtl, "alias TTL 60 s");
  const database = databasePart(profile, inputs);
  const compute = COMPUTE_PART[profile.standbyFleet];
  const fence = part(
    "fence: primary record off",
    ASSUMED_MINUTES.fence,
    "Route 53's data plane: an alarm in the recovery region (1-min period) its health checkers read; the run changes it first, nothing waits for it",
  );
  const parallel = largest([database, compute, fence]);
  const counted = [detection, deploy, parallel, dns];
  return {
    minutes: sum(counted),
    decidedBy: largest(counted),
    formula:
      "detection + decision (excluded) + failover pulumi up + max(database, compute, fence) + DNS TTL",
    parts: [detection, deploy, database, compute, fence, dns],
    then: profile.liveReplicas ? resizePart(profile, inputs) : undefined,
  };
}

const detectionPart = ({ healthCheck }: ModelInputs) =>
  part(
    "detection",
    (healthCheck.intervalSeconds * healthCheck.failureThreshold) / 60,
    `${healthCheck.intervalSeconds} s interval x ${healthCheck.failureThreshold} failed checks`,
  );

/** A replica tier on Aurora: a global database, whose failover is AWS's. */
const onGlobalDatabase = (profile: TierProfile, inputs: ModelInputs) =>
  inputs.database.engine === "aurora-postgresql" &&
  profile.aurora.secondary !== "none";

/**
 * Aurora global database: the writer holds commits once every secondary lags past rds.global_db_rpo,
 * so where it is set that is the database's bound (a managed failover loses at most what the
 * secondary had not received). Unset, the lag alarm's threshold and window, as on RDS. Objects:
 * still S3 RTC's 15 minutes, which then decides the whole.
 */
function auroraRpo(inputs: ModelInputs, objects: Part): Estimate {
  const seconds = inputs.database.globalRpoSeconds;
  const alarm = replicaLagAlarm(inputs.alerts);
  const database =
    seconds !== undefined
      ? [
          part(
            "database: rds.global_db_rpo",
            seconds / 60,
            `dr:database.globalRpoSeconds ${seconds}: the writer holds commits past it; normal lag is under a second (${ASSUMED_MINUTES.auroraLag * 60} s assumed)`,
          ),
        ]
      : [
          part(
            "replica lag alarm threshold",
            alarm.thresholdMinutes,
            "dr:alerts.replicaLagMinutes on AuroraGlobalDBReplicationLag; no rds.global_db_rpo bound set (dr:database.globalRpoSeconds)",
          ),
          part(
            "lag alarm window",
            alarmWindowMinutes(alarm),
            `${alarm.periodSeconds} s period x ${alarm.evaluationPeriods} breaching periods before the alarm fires`,
          ),
        ];
  return {
    ...maxOfSums([database, [objects]]),
    formula:
      seconds !== undefined
        ? "max(database: rds.global_db_rpo, S3 replication (RTC))"
        : "max(replica lag alarm threshold + lag alarm window, S3 replication (RTC))",
    parts: [...database, objects],
  };
}

/**
 * Aurora global database: AWS's managed failover moves the writer, and the global writer endpoint
 * follows it, so no `pulumi up` and no endpoint change is on the way to writes (the program's
 * failover run agrees afterwards); a headless secondary first gets its stand-in instance. Traffic
 * leaves the failed primary by the records' health checks (Route 53's data plane) and the fleet
 * grows as the tier has it. The fence is not on the way either: Aurora itself stops the old
 * primary's writes (it rejoins as a secondary), so the fence only keeps users off a returning stale
 * site. Not counted: the decision to fail over (a human's, or the Region switch plan's trigger).
 */
function auroraRto(profile: TierProfile, detection: Part): Estimate {
  const dns = part("DNS TTL", ASSUMED_MINUTES.dnsTtl, "alias TTL 60 s");
  const headless = profile.aurora.secondary === "headless";
  const database = part(
    headless
      ? "database: stand-in instance + managed failover"
      : "database: managed failover",
    (headless ? ASSUMED_MINUTES.auroraAddInstance : 0) +
      ASSUMED_MINUTES.auroraFailover,
    headless
      ? `an instance added to the headless secondary (~${ASSUMED_MINUTES.auroraAddInstance} min, users' reports), then AWS's failover (~${ASSUMED_MINUTES.auroraFailover} min, AWS)`
      : `AWS's managed failover, typically under a minute (AWS); the writer endpoint follows`,
  );
  const compute = COMPUTE_PART[profile.standbyFleet];
  const counted = [detection, largest([database, compute]), dns];
  return {
    minutes: sum(counted),
    decidedBy: largest(counted),
    formula:
      "detection + decision (excluded) + max(database failover, compute) + DNS TTL",
    parts: [detection, database, compute, dns],
    then: part(
      "then: resize step (dr:failoverStep=resize)",
      ASSUMED_MINUTES.resize,
      "the primary's instances added to the new writer's cluster; writes go on meanwhile",
    ),
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
      `${ASSUMED_MINUTES.restoreBase} min + ${ASSUMED_MINUTES.restorePer100Gb} min x ${hundreds}, per started 100 GB of ${allocatedStorageGb} GB`,
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

/** A target a tier misses, and the part that decides the estimate: what to change first. */
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
        culprit: estimate.decidedBy,
      });
  };
  check("rpoMinutes", estimateRpo(profile, inputs));
  check("rtoMinutes", estimateRto(profile, inputs));
  return misses;
}

/**
 * The sentence a config error and `assess` both print for a miss: the estimate, its formula, and the
 * part that decides it with what sets that part (a key, or an assumption).
 */
export function describeMiss(tier: Tier, miss: Miss): string {
  const { culprit } = miss;
  const higher =
    tier === TIERS[TIERS.length - 1] ? "" : "choose a higher dr:tier, ";
  return `cannot be met at ${tier}: the estimate is ${miss.estimate.minutes} min (${miss.estimate.formula}), and ${culprit.name} alone takes ${culprit.minutes} min (${culprit.basis}); ${higher}change that part or raise the target (npm run assess)`;
}

/** Both estimates at every tier, cheapest first. */
export function assessTiers(
  profiles: TierProfiles,
  inputs: ModelInputs,
  targets: { rtoMinutes: number; rpoMinutes: number },
) {
  return TIERS.map((tier) => ({
    tier,
    rpo: estimateRpo(profiles[tier], inputs),
    rto: estimateRto(profiles[tier], inputs),
    misses: missedTargets(profiles[tier], inputs, targets),
  }));
}

/**
 * Recovery from an account compromise through the isolated copy (dr:backup.isolatedCopy), apart
 * from the regional-outage objectives above: what AWS does not publish, assumed here and stated.
 */
export const ISOLATED_ASSUMED_MINUTES = {
  /**
   * A restore from a logically air-gapped vault, beyond a snapshot restore's: the recovery point
   * lives in an AWS-owned account and is brought into the restoring account first.
   */
  isolatedRestore: 30,
  /**
   * A DB snapshot of the database restored from the vault, which the new stack restores from
   * (dr:database.restoreSnapshot): an AWS Backup restore job makes an instance no stack owns.
   */
  interimSnapshot: 15,
  /**
   * Building the stack in the recovery account from nothing: network, keys, load balancer, fleet
   * and DNS (a new stack of this program there, its state and secrets not in the lost account).
   */
  newAccountStack: 30,
  /**
   * Sharing the vault after the fact (AWS RAM share, the invitation accepted): needs this
   * account's administrator, which is what was lost; counted only where no account is named.
   */
  lateShare: 60,
} as const;

/** What the isolated-copy estimate reads of the config. */
export interface IsolatedRecoveryInputs {
  backup: {
    schedule: string;
    isolatedCopy?: { shareWithAccountId?: string };
  };
  database: { allocatedStorageGb: number; engine?: string };
}

/**
 * The isolated copy's recovery point and time, for the day this account is lost (an attacker holds
 * its administrator) rather than a region: the same at every tier, since no replica or standby
 * survives an account's loss. RPO: the backup interval plus the copy into the air-gapped vault (a
 * plan copies snapshots, continuous backups too, so point-in-time recovery does not reach it). RTO:
 * the database restored from the shared vault into the recovery account and snapshotted, then a new
 * stack there restoring from that snapshot while it builds the site, then DNS
 * (docs/runbooks/isolated-backup-restore.md); plus sharing the vault first where no recovery
 * account is named. Undefined without an
 * isolated copy: nothing then survives the account.
 */
export function estimateIsolatedRecovery(
  inputs: IsolatedRecoveryInputs,
): { rpo: Estimate; rto: Estimate } | undefined {
  const { isolatedCopy, schedule } = inputs.backup;
  if (!isolatedCopy) return undefined;
  const backup = part(
    "backup interval",
    scheduleIntervalMinutes(schedule),
    `dr:backup.schedule ${schedule}`,
  );
  const copy = part(
    "copy to the air-gapped vault",
    ASSUMED_MINUTES.backupCopy,
    "assumed, as the cross-region copy: a copy job after the backup job",
  );
  const rpoParts = [backup, copy];
  const storage = inputs.database.allocatedStorageGb;
  const snapshotRestore =
    ASSUMED_MINUTES.restoreBase +
    ASSUMED_MINUTES.restorePer100Gb * Math.ceil(storage / 100);
  // Aurora restores a cluster without instances: one is added before it can be snapshotted.
  const aurora = inputs.database.engine === "aurora-postgresql";
  const restore = part(
    "database restore from the air-gapped vault",
    snapshotRestore +
      ISOLATED_ASSUMED_MINUTES.isolatedRestore +
      (aurora ? ASSUMED_MINUTES.auroraAddInstance : 0),
    `assumed: ${ASSUMED_MINUTES.restoreBase} + ${ASSUMED_MINUTES.restorePer100Gb} per started 100 GB of ${storage} GB + ${ISOLATED_ASSUMED_MINUTES.isolatedRestore} from the AWS-owned account${aurora ? ` + ${ASSUMED_MINUTES.auroraAddInstance} for the restored cluster's first instance` : ""}`,
  );
  const snapshot = part(
    "snapshot of the restored database",
    ISOLATED_ASSUMED_MINUTES.interimSnapshot,
    "assumed: what the new stack restores from (dr:database.restoreSnapshot)",
  );
  const stackRestore = part(
    "the new stack's database restore",
    snapshotRestore,
    `assumed: ${ASSUMED_MINUTES.restoreBase} + ${ASSUMED_MINUTES.restorePer100Gb} per started 100 GB of ${storage} GB`,
  );
  const stack = part(
    "stack in the recovery account",
    ISOLATED_ASSUMED_MINUTES.newAccountStack,
    "assumed: network, keys, load balancer and fleet from nothing",
  );
  const dns = part("DNS", ASSUMED_MINUTES.dnsTtl, "the records' 60 s TTL");
  const share = isolatedCopy.shareWithAccountId
    ? []
    : [
        part(
          "sharing the vault first",
          ISOLATED_ASSUMED_MINUTES.lateShare,
          "assumed, and only with AWS's multi-party approval set up outside the stack: dr:backup.isolatedCopy.shareWithAccountId is unset, so the share needs this account's administrator, which is what was lost",
        ),
      ];
  const rtoParts = [...share, restore, snapshot, stackRestore, stack, dns];
  const before = [...share, restore, snapshot];
  return {
    rpo: {
      minutes: sum(rpoParts),
      formula: "backup interval + copy to the air-gapped vault",
      parts: rpoParts,
      decidedBy: largest(rpoParts),
    },
    rto: {
      ...maxOfSums([
        [...before, stack, dns],
        [...before, stackRestore, dns],
      ]),
      formula: `${share.length ? "sharing the vault first + " : ""}database restore from the air-gapped vault + snapshot of the restored database + max(stack in the recovery account, the new stack's database restore) + DNS`,
      parts: rtoParts,
    },
  };
}
