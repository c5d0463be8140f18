import { TIERS, tiersUsing, type TierProfile } from "@aws-dr/model";
import { TIER_PROFILES } from "./profiles";
import { TIER_KEYS } from "./settings";

/** Every fact a profile states: adding one to TierProfile without stating it somewhere fails here. */
const FACTS: (keyof TierProfile)[] = [
  "tier",
  "standbyFleet",
  "liveReplicas",
  "routing",
  "settingsKey",
  "replicaMultiAz",
  "peering",
  "resilienceTier",
  "operations",
  "failbackSteps",
  "failedOverTierMoves",
  "recoverySteps",
  "aurora",
];

describe("tier profiles", () => {
  it.each(TIERS)("%s states every fact, and only those", (tier) => {
    const profile = TIER_PROFILES[tier];
    expect(Object.keys(profile).sort()).toEqual([...FACTS].sort());
    for (const fact of FACTS) expect(profile[fact]).not.toBeUndefined();
    expect(profile.tier).toBe(tier);
  });

  it("names only settings and operation keys the program defines", () => {
    for (const tier of TIERS) {
      const { settingsKey, operations } = TIER_PROFILES[tier];
      for (const key of [...(settingsKey ? [settingsKey] : []), ...operations])
        expect(Object.keys(TIER_KEYS)).toContain(key);
    }
  });

  it("leaves no tier key unread: each is some tier's settings or operation", () => {
    for (const key of Object.keys(TIER_KEYS))
      expect(tiersUsing(TIER_PROFILES, key).length).toBeGreaterThan(0);
  });

  it("keeps a live replica exactly where a standby fleet is defined, and sizes it only there", () => {
    for (const tier of TIERS) {
      const p = TIER_PROFILES[tier];
      expect(p.liveReplicas).toBe(p.standbyFleet !== "none");
      expect(p.replicaMultiAz === null).toBe(!p.liveReplicas);
    }
  });

  it("grows a tier's promises with its cost: weighted routing and peering only at active-active", () => {
    expect(
      TIERS.filter((t) => TIER_PROFILES[t].routing === "weighted"),
    ).toEqual(["active-active"]);
    expect(TIERS.filter((t) => TIER_PROFILES[t].peering)).toEqual([
      "active-active",
    ]);
    expect(tiersUsing(TIER_PROFILES, "gameDay")).toEqual([
      "warm-standby",
      "active-active",
    ]);
  });

  it("fails back by release where the recovery site was restored, by fence, reseed, freeze then promote where it was a replica", () => {
    for (const tier of TIERS)
      expect(TIER_PROFILES[tier].failbackSteps).toEqual(
        TIER_PROFILES[tier].liveReplicas
          ? ["fence", "reseed", "freeze", "promote"]
          : ["release"],
      );
  });
});
