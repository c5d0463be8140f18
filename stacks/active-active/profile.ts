import {
  AURORA_GLOBAL_RECOVERY,
  STANDBY_RECOVERY,
  type TierProfile,
} from "@aws-dr/model";

/**
 * Active-active: two full sites serving every day. The recovery fleet runs the primary's size,
 * Route 53 splits traffic by dr:dns.weights and drops an unhealthy site by itself, and the recovery
 * site reads its local replica and writes to the primary's database over inter-region VPC peering.
 * dr:failover=true promotes the replica in place, resizes it, and sends all traffic to the recovery
 * site; Auto Scaling grows its fleet to the load.
 */
export const ACTIVE_ACTIVE: TierProfile = {
  tier: "active-active",
  standbyFleet: "full",
  liveReplicas: true,
  routing: "weighted",
  settingsKey: "activeActive",
  // It serves a full site's reads: as available as the primary.
  replicaMultiAz: "as-primary",
  peering: true,
  resilienceTier: "MissionCritical",
  operations: ["gameDay", "regionSwitch"],
  failbackSteps: ["fence", "reseed", "freeze", "promote"],
  failedOverTierMoves: [],
  recoverySteps: STANDBY_RECOVERY,
  aurora: {
    // Readers at the primary's size serve the recovery site's reads; its writes are forwarded.
    secondary: "as-primary",
    writeForwarding: true,
    failbackSteps: [],
    recoverySteps: AURORA_GLOBAL_RECOVERY,
  },
};
