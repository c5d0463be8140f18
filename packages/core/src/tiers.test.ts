import { recoveryFleetSize, TIERS, TIER_MODEL } from "./tiers";

const primary = { minSize: 2, maxSize: 8 };

describe("recoveryFleetSize", () => {
  it.each([
    ["backup-restore", undefined],
    ["pilot-light", { minSize: 0, maxSize: 0 }],
    ["warm-standby", { minSize: 1, maxSize: 2 }],
    ["active-active", primary],
  ] as const)("sizes the standby fleet of %s", (tier, expected) => {
    expect(recoveryFleetSize(tier, false, primary)).toEqual(expected);
  });

  it.each(TIERS)(
    "runs a full fleet in the recovery region when %s fails over",
    (tier) => {
      expect(recoveryFleetSize(tier, true, primary)).toEqual(primary);
    },
  );
});

describe("tier model", () => {
  it("recovers faster at every higher tier", () => {
    const minutes = TIERS.map((t) => TIER_MODEL[t].fastestRecoveryMinutes);
    expect([...minutes].sort((a, b) => b - a)).toEqual(minutes);
    expect(new Set(minutes).size).toBe(TIERS.length);
  });

  it("only active-active spreads traffic across both sites", () => {
    expect(TIERS.filter((t) => TIER_MODEL[t].routing === "weighted")).toEqual([
      "active-active",
    ]);
  });

  it("keeps live replicas from pilot light upwards", () => {
    expect(TIERS.filter((t) => TIER_MODEL[t].liveReplicas)).toEqual([
      "pilot-light",
      "warm-standby",
      "active-active",
    ]);
  });
});
