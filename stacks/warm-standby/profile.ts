import {
  AURORA_GLOBAL_RECOVERY,
  STANDBY_RECOVERY,
  type TierProfile,
} from "@aws-dr/model";

/**
 * Warm standby: pilot light plus a small fleet (dr:warmStandby) always serving health checks, so
 * Route 53 moves traffic to it by itself when the primary fails; dr:failover=true then scales it up.
 */
export const WARM_STANDBY: TierProfile = {
  tier: "warm-standby",
  standbyFleet: "small",
  liveReplicas: true,
  routing: "single-site",
  settingsKey: "warmStandby",
  replicaMultiAz: "single-az",
  peering: false,
  resilienceTier: "Critical",
  operations: ["gameDay", "regionSwitch"],
  failbackSteps: ["fence", "reseed", "freeze", "promote"],
  failedOverTierMoves: ["pilot-light"],
  recoverySteps: STANDBY_RECOVERY,
  aurora: {
    // One small reader keeps the secondary warm (caches, a health check of its own).
    secondary: "one-reader",
    writeForwarding: false,
    failbackSteps: [],
    recoverySteps: AURORA_GLOBAL_RECOVERY,
  },
};
