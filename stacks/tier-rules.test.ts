import { recoveryFleetSize, siteWeights, TIERS } from "@aws-dr/model";
import { TIER_PROFILES } from "./profiles";

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
      expect(recoveryFleetSize(TIER_PROFILES[tier], false, primary, 1)).toEqual(
        expected,
      );
    },
  );

  it.each(TIERS)(
    "runs a full fleet in the recovery region when %s fails over",
    (tier) => {
      expect(recoveryFleetSize(TIER_PROFILES[tier], true, primary, 1)).toEqual(
        primary,
      );
    },
  );
});

describe("siteWeights", () => {
  it.each([
    ["backup-restore", { primary: 1 }],
    ["pilot-light", { primary: 1, recovery: 0 }],
    ["warm-standby", { primary: 1, recovery: 0 }],
  ] as const)(
    "sends %s's traffic to the primary, the standby taking it only when the primary is unhealthy",
    (tier, expected) => {
      expect(siteWeights(TIER_PROFILES[tier], false)).toEqual(expected);
    },
  );

  it("splits active-active's traffic by the configured weights, evenly by default", () => {
    expect(siteWeights(TIER_PROFILES["active-active"], false)).toEqual({
      primary: 50,
      recovery: 50,
    });
    expect(
      siteWeights(TIER_PROFILES["active-active"], false, "none", {
        primary: 80,
        recovery: 20,
      }),
    ).toEqual({ primary: 80, recovery: 20 });
  });

  it("sends the stale recovery site no weight once a failback promotes the primary's successor, keeping its record so its fleet goes after the weight", () => {
    expect(
      siteWeights(TIER_PROFILES["warm-standby"], false, "promote"),
    ).toEqual({ primary: 1, recovery: 0 });
  });

  it.each(TIERS)(
    "pins traffic to the recovery site when %s fails over: the stale primary has no record",
    (tier) => {
      expect(siteWeights(TIER_PROFILES[tier], true)).toEqual({ recovery: 1 });
    },
  );
});
