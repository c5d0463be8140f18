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

/** What a tier runs in the recovery region while the primary serves. */
export interface TierModel {
  /** Recovery-region fleet before failover: none at all, defined at zero, small, or full size. */
  standbyFleet: "none" | "zero" | "small" | "full";
  /** Data is copied continuously (replicas), not only as scheduled backups. */
  liveReplicas: boolean;
  /** How DNS spreads traffic: one site at a time, or weighted across both. */
  routing: "single-site" | "weighted";
}

export const TIER_MODEL: Record<Tier, TierModel> = {
  "backup-restore": {
    standbyFleet: "none",
    liveReplicas: false,
    routing: "single-site",
  },
  "pilot-light": {
    standbyFleet: "zero",
    liveReplicas: true,
    routing: "single-site",
  },
  "warm-standby": {
    standbyFleet: "small",
    liveReplicas: true,
    routing: "single-site",
  },
  "active-active": {
    standbyFleet: "full",
    liveReplicas: true,
    routing: "weighted",
  },
};

/**
 * The recovery-region fleet size for a tier and failover state, given the primary fleet's size and
 * warm standby's always-on instances; undefined where the tier runs no recovery fleet. A standby
 * fleet runs its few (or none) but may grow to the primary's maximum, so that Auto Scaling, or a
 * Region switch plan raising its desired capacity, can take the whole load before anyone changes
 * config. On failover every tier runs a full fleet.
 */
export function recoveryFleetSize(
  tier: Tier,
  failover: boolean,
  primary: FleetSize,
  smallMinSize: number,
): FleetSize | undefined {
  if (failover) return primary;
  switch (TIER_MODEL[tier].standbyFleet) {
    case "none":
      return undefined;
    case "zero":
      return { minSize: 0, maxSize: primary.maxSize };
    case "small":
      return { minSize: smallMinSize, maxSize: primary.maxSize };
    case "full":
      return primary;
  }
}

/** Route 53 weights of the two sites' records; a site without a weight has no record. */
export interface SiteWeights {
  primary?: number;
  recovery?: number;
}

/** Active-active's split of traffic when dr:dns.weights is not set: even. */
export const DEFAULT_WEIGHTS = { primary: 50, recovery: 50 } as const;

/**
 * One record model at every tier: weighted alias records with health checks, so a tier switch only
 * adds, removes or re-weights records of one routing policy (Route 53 refuses two policies for one
 * name, and Pulumi creates before it deletes). The standby at weight 0 gets traffic only when the
 * primary is unhealthy: failover in Route 53's data plane, no `pulumi up` needed. Active-active
 * splits traffic by dr:dns.weights. On dr:failover the primary's record goes (weight 0 would not
 * do: Route 53 sends a weight-0 record traffic when the others are unhealthy), so traffic stays on
 * the promoted site even when the stale primary's health check passes again.
 */
export function siteWeights(
  tier: Tier,
  failover: boolean,
  failback: string = "none",
  weights: { primary: number; recovery: number } = DEFAULT_WEIGHTS,
): SiteWeights {
  if (failover) return { recovery: 1 };
  // Failing back: the former recovery database is stale now; no record may lead to it.
  if (failback === "promote") return { primary: 1 };
  switch (TIER_MODEL[tier].standbyFleet) {
    case "none":
      return { primary: 1 };
    case "zero":
    case "small":
      return { primary: 1, recovery: 0 };
    case "full":
      return { ...weights };
  }
}
