import { recoveryFleetSize, siteWeights, TIERS, TIER_MODEL } from "./tiers";

const primary = { minSize: 2, maxSize: 8 };

describe("recoveryFleetSize", () => {
  it.each([
    ["backup-restore", undefined],
    ["pilot-light", { minSize: 0, maxSize: 8 }],
    ["warm-standby", { minSize: 1, maxSize: 8 }],
    ["active-active", primary],
  ] as const)(
    "sizes the standby fleet of %s: its few, able to grow to the primary's maximum",
    (tier, expected) => {
      expect(recoveryFleetSize(tier, false, primary, 1)).toEqual(expected);
    },
  );

  it.each(TIERS)(
    "runs a full fleet in the recovery region when %s fails over",
    (tier) => {
      expect(recoveryFleetSize(tier, true, primary, 1)).toEqual(primary);
    },
  );
});

describe("tier model", () => {
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

describe("siteWeights", () => {
  it.each([
    ["backup-restore", { primary: 1 }],
    ["pilot-light", { primary: 1, recovery: 0 }],
    ["warm-standby", { primary: 1, recovery: 0 }],
  ] as const)(
    "sends %s's traffic to the primary, the standby taking it only when the primary is unhealthy",
    (tier, expected) => {
      expect(siteWeights(tier, false)).toEqual(expected);
    },
  );

  it("splits active-active's traffic by the configured weights, evenly by default", () => {
    expect(siteWeights("active-active", false)).toEqual({
      primary: 50,
      recovery: 50,
    });
    expect(
      siteWeights("active-active", false, "none", {
        primary: 80,
        recovery: 20,
      }),
    ).toEqual({ primary: 80, recovery: 20 });
  });

  it("sends nothing to the stale recovery site once a failback promotes the primary's successor", () => {
    expect(siteWeights("warm-standby", false, "promote")).toEqual({
      primary: 1,
    });
  });

  it.each(TIERS)(
    "pins traffic to the recovery site when %s fails over: the stale primary has no record",
    (tier) => {
      expect(siteWeights(tier, true)).toEqual({ recovery: 1 });
    },
  );
});
