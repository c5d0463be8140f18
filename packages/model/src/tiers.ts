/** The four DR tiers, cheapest and slowest to recover first. */
export const TIERS = [
  "backup-restore",
  "pilot-light",
  "warm-standby",
  "active-active",
] as const;
export type Tier = (typeof TIERS)[number];

/** How many instances a fleet may run: Auto Scaling keeps the desired size between the two. */
export interface FleetSize {
  minSize: number;
  maxSize: number;
}

/**
 * dr:failback: the steps of leaving a failover, one `pulumi up` each (docs, "Failback"). Which
 * steps a tier has, in which order, is its profile's `failbackSteps`.
 */
export const FAILBACK_STEPS = [
  "none",
  "release",
  "fence",
  "reseed",
  "freeze",
  "promote",
] as const;
export type FailbackStep = (typeof FAILBACK_STEPS)[number];

/**
 * The dr:failover value each failback step is taken with: release lifts the serving recovery
 * site's guards, fence stops the returned primary site writing to its stale database (the first run
 * once its region answers), reseed builds the primary's successor and freeze makes the serving
 * database read-only so the successor catches up with all of it, all while failed over; promote
 * makes the successor serve again with dr:failover=false.
 */
export const FAILBACK_STEP_FAILOVER: Record<
  Exclude<FailbackStep, "none">,
  boolean
> = { release: true, fence: true, reseed: true, freeze: true, promote: false };

/**
 * dr:failoverStep: a replica tier's failover in two `pulumi up` runs. promote makes the replica the
 * writer and moves traffic and sends RDS nothing but the promotion; resize then brings the promoted
 * database to the primary's class, Multi-AZ and backups, a step nothing the app needs waits for.
 */
export const FAILOVER_STEPS = ["promote", "resize"] as const;
export type FailoverStep = (typeof FAILOVER_STEPS)[number];

/**
 * One `pulumi up` of a tier's runbook (docs/runbooks/<tier>.md#<section>): the DR config it sets,
 * on top of the step before. `generation: 1` raises dr:database.generation by one.
 */
export interface RunbookStep {
  section: "failover" | "failover-resize" | "failback";
  set: {
    failover?: boolean;
    failoverStep?: FailoverStep;
    failback?: FailbackStep;
    generation?: 1;
  };
}

/** The optional operations a tier may offer (each with a `dr:` key of its own). */
export type Operation = "gameDay" | "regionSwitch";

/**
 * Every fact that differs by tier, in one place: the tier's folder states it (stacks/<tier>/
 * profile.ts) and everything else (the phase resolver, the recovery model, validation, costs)
 * reads it from there.
 */
export interface TierProfile {
  tier: Tier;
  /** Recovery-region fleet before failover: none at all, defined at zero, small, or full size. */
  standbyFleet: "none" | "zero" | "small" | "full";
  /** Data is copied continuously (a cross-region read replica), not only as scheduled backups. */
  liveReplicas: boolean;
  /** How DNS spreads traffic: one site at a time, or weighted across both (dr:dns.weights). */
  routing: "single-site" | "weighted";
  /**
   * The tier's own `dr:` key (its settings: the replica's class, a standby fleet's size), or null.
   * Its `replicaInstanceClass` sizes the standby replica; its `minSize` the small standby fleet.
   */
  settingsKey: string | null;
  /** The standby replica's Multi-AZ: single-AZ (it serves nothing until failover) or the primary's. */
  replicaMultiAz: "single-az" | "as-primary" | null;
  /** Inter-region peering so the recovery fleet writes to the primary's database. */
  peering: boolean;
  /** AWS Resilience Hub's tier: how critical a workload that pays for this DR tier is. */
  resilienceTier: "Important" | "Critical" | "MissionCritical";
  /** The optional operations this tier offers. */
  operations: readonly Operation[];
  /** The failback steps, in the order they are taken (dr:failback). */
  failbackSteps: readonly Exclude<FailbackStep, "none">[];
  /**
   * The tiers a failed-over stack of this tier may move to (before its failback starts): only
   * where the move changes nothing in the primary region, which may be down (the transition
   * matrix checks each entry). Every other tier change waits for normal operation.
   */
  failedOverTierMoves: readonly Tier[];
  /**
   * The runbook's runs from normal operation through the failover and the failback to normal
   * operation again, in order: the docs are tested against it, and the deployed-state check must
   * allow each run from the one before.
   */
  recoverySteps: readonly RunbookStep[];
  /** The same tier on Aurora (dr:database.engine=aurora-postgresql). */
  aurora: AuroraProfile;
}

/**
 * What a tier runs and how it recovers on Aurora. At the replica tiers a global database: the
 * recovery cluster is a secondary that AWS fails over to (managed failover) or switches over to,
 * and back; `pulumi up` then agrees with what AWS did. No successor is built on failback: the old
 * primary rejoins as a secondary and a switchover makes it the writer again.
 */
export interface AuroraProfile {
  /**
   * The recovery region's cluster before failover: none (backup-restore restores one), headless (a
   * secondary with storage and no instance), one reader of the smallest class a global database
   * takes (dr:<tier>.replicaInstanceClass where set), or readers at the primary's class and count.
   */
  secondary: "none" | "headless" | "one-reader" | "as-primary";
  /** The secondary forwards its writes to the writer (the recovery site writes over Aurora, not peering). */
  writeForwarding: boolean;
  /** The failback steps on Aurora, in order. */
  failbackSteps: readonly Exclude<FailbackStep, "none">[];
  /** The runbook's runs on Aurora, as recoverySteps. */
  recoverySteps: readonly RunbookStep[];
}

/**
 * A tier's failback steps, runbook runs and tier moves while failed over, for the stack's engine.
 * On Aurora no tier move while failed over: the recovery cluster's instances would follow the other
 * tier's standby shape, deleting or shrinking the writer instance.
 */
export function recoveryOf(
  profile: TierProfile,
  engine: "postgres" | "aurora-postgresql",
): Pick<
  TierProfile,
  "failbackSteps" | "recoverySteps" | "failedOverTierMoves"
> {
  return engine === "aurora-postgresql"
    ? { ...profile.aurora, failedOverTierMoves: [] }
    : profile;
}

/**
 * Whether a stack at `from` may move to `to` in normal operation on its engine. On Aurora not
 * between a regional cluster (backup-restore) and a global database: an existing cluster cannot
 * join a global database (the provider refuses), and a primary cannot leave one with its secondary
 * still in it. That move is a migration (docs/aurora.md#migrating-from-rds), not a tier change.
 */
export function tierMoveAllowed(
  profiles: TierProfiles,
  engine: "postgres" | "aurora-postgresql",
  from: Tier,
  to: Tier,
): boolean {
  if (engine !== "aurora-postgresql") return true;
  const global = (t: Tier) => profiles[t].aurora.secondary !== "none";
  return global(from) === global(to);
}

/** The tier profiles, one per tier. */
export type TierProfiles = Record<Tier, TierProfile>;

/** The tiers whose profile reads a `dr:` key (as its settings or as an operation). */
export function tiersUsing(profiles: TierProfiles, key: string): Tier[] {
  return TIERS.filter(
    (tier) =>
      profiles[tier].settingsKey === key ||
      (profiles[tier].operations as readonly string[]).includes(key),
  );
}

/** The recovery of a tier with a live replica: two failover runs, then fence, reseed, freeze, promote and the next generation. */
export const STANDBY_RECOVERY: readonly RunbookStep[] = [
  { section: "failover", set: { failover: true } },
  { section: "failover-resize", set: { failoverStep: "resize" } },
  { section: "failback", set: { failback: "fence" } },
  { section: "failback", set: { failback: "reseed" } },
  { section: "failback", set: { failback: "freeze" } },
  {
    section: "failback",
    set: { failover: false, failoverStep: "promote", failback: "promote" },
  },
  { section: "failback", set: { failback: "none", generation: 1 } },
];

/**
 * The recovery of a tier on an Aurora global database: AWS fails over (managed failover), the
 * failover run agrees, the resize step sizes the new writer's cluster; AWS switches back once the
 * old primary has rejoined as a secondary, and one run agrees. No successor, no generation.
 */
export const AURORA_GLOBAL_RECOVERY: readonly RunbookStep[] = [
  { section: "failover", set: { failover: true } },
  { section: "failover-resize", set: { failoverStep: "resize" } },
  { section: "failback", set: { failover: false, failoverStep: "promote" } },
];
