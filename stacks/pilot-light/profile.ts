import {
  AURORA_GLOBAL_RECOVERY,
  STANDBY_RECOVERY,
  type TierProfile,
} from "@aws-dr/model";

/**
 * Pilot light: the recovery region runs the database replica and keeps the site defined at zero
 * instances. Recovery: promote, scale up, move traffic (dr:failover=true).
 */
export const PILOT_LIGHT: TierProfile = {
  tier: "pilot-light",
  standbyFleet: "zero",
  liveReplicas: true,
  routing: "single-site",
  settingsKey: "pilotLight",
  // It serves no traffic until failover.
  replicaMultiAz: "single-az",
  peering: false,
  resilienceTier: "Critical",
  // No game day: the recovery fleet is at zero until failover, nothing would take the traffic.
  operations: ["regionSwitch"],
  failbackSteps: ["fence", "reseed", "freeze", "promote"],
  failedOverTierMoves: ["warm-standby"],
  recoverySteps: STANDBY_RECOVERY,
  aurora: {
    // Storage and no instance: the cheapest pilot light; an instance is added before AWS can fail over
    // to it (the Region switch plan's stand-in step, or the runbook's command).
    secondary: "headless",
    writeForwarding: false,
    failbackSteps: [],
    recoverySteps: AURORA_GLOBAL_RECOVERY,
  },
};
