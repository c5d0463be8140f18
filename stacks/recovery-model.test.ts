import {
  assessTiers,
  describeMiss,
  estimateRpo,
  estimateRto,
  missedTargets,
  type ModelInputs,
} from "@aws-dr/model";
import { TIER_PROFILES } from "./profiles";

const inputs: ModelInputs = {
  backup: { schedule: "cron(0 */6 ? * * *)" },
  healthCheck: { intervalSeconds: 30, failureThreshold: 3 },
  database: { instanceClass: "db.r7g.large", allocatedStorageGb: 250 },
  replicaInstanceClass: { "pilot-light": "db.t4g.medium" },
};
const names = (parts: { name: string; minutes: number }[]) =>
  Object.fromEntries(parts.map((p) => [p.name, p.minutes]));

describe("the recovery model, on hand-computed cases", () => {
  it("backup-restore RPO: a 6-hour schedule plus the copy's hour, RTC aside", () => {
    const rpo = estimateRpo(TIER_PROFILES["backup-restore"], inputs, 15);
    expect(names(rpo.parts)).toEqual({
      "backup interval": 360,
      "cross-region copy delay": 60,
      "S3 replication (RTC)": 15,
    });
    expect(rpo.minutes).toBe(420);
    expect(rpo.formula).toBe(
      "max(backup interval + cross-region copy delay, S3 replication (RTC))",
    );
  });

  it("replica tiers' RPO: the lag alarm's threshold, or RTC's 15 minutes when that is longer", () => {
    expect(estimateRpo(TIER_PROFILES["pilot-light"], inputs, 30).minutes).toBe(
      30,
    );
    expect(estimateRpo(TIER_PROFILES["active-active"], inputs, 5).minutes).toBe(
      15,
    );
  });

  it("backup-restore RTO: detection 1.5 + deploy 3 + max(restore 30 + 3 x 10, site 18) + DNS 1 = 65.5", () => {
    const rto = estimateRto(TIER_PROFILES["backup-restore"], inputs);
    expect(names(rto.parts)).toEqual({
      detection: 1.5,
      "failover pulumi up": 3,
      "database restore": 60,
      "compute: site built and launched": 18,
      "DNS TTL": 1,
    });
    expect(rto.minutes).toBe(65.5);
  });

  it("pilot light RTO: the smaller replica is promoted as it is (5) while the fleet launches from zero (8): 13.5; its resize follows, not counted", () => {
    const rto = estimateRto(TIER_PROFILES["pilot-light"], inputs);
    expect(names(rto.parts)).toMatchObject({
      "database promotion": 5,
      "compute: launch from zero": 8,
    });
    expect(rto.minutes).toBe(13.5);
    expect(rto.then).toMatchObject({
      name: "then: resize step (dr:failoverStep=resize)",
      minutes: 10,
    });
    expect(rto.then?.basis).toMatch(/-> db\./);
    // backup-restore restores at full size: no second step.
    expect(
      estimateRto(TIER_PROFILES["backup-restore"], inputs).then,
    ).toBeUndefined();
  });

  it("warm standby and active-active RTO: promotion (5) dominates; 10 s checks detect in 30 s", () => {
    const fast = {
      ...inputs,
      healthCheck: { intervalSeconds: 10, failureThreshold: 3 },
    };
    expect(estimateRto(TIER_PROFILES["warm-standby"], fast).minutes).toBe(9.5);
    expect(
      names(estimateRto(TIER_PROFILES["active-active"], fast).parts),
    ).toMatchObject({
      detection: 0.5,
      "compute: none": 0,
    });
    expect(estimateRto(TIER_PROFILES["active-active"], fast).minutes).toBe(9.5);
  });

  it("gets no slower at a higher tier", () => {
    const rtos = assessTiers(TIER_PROFILES, inputs, {
      rtoMinutes: 60,
      rpoMinutes: 15,
    }).map((t) => t.rto.minutes);
    expect([...rtos].sort((a, b) => b - a)).toEqual(rtos);
  });

  it("names the part that breaks a target that cannot be met", () => {
    const misses = missedTargets(TIER_PROFILES["backup-restore"], inputs, {
      rtoMinutes: 30,
      rpoMinutes: 60,
    });
    expect(
      misses.map((m) => [m.target, m.estimate.minutes, m.culprit.name]),
    ).toEqual([
      ["rpoMinutes", 420, "backup interval"],
      ["rtoMinutes", 65.5, "database restore"],
    ]);
    expect(describeMiss("backup-restore", misses[1])).toBe(
      "cannot be met at backup-restore: the estimate is 65.5 min (detection + failover pulumi up + max(database, compute) + DNS TTL), and database restore alone takes 60 min; choose a higher dr:tier, change that part or raise the target (npm run assess)",
    );
    expect(
      missedTargets(TIER_PROFILES["warm-standby"], inputs, {
        rtoMinutes: 30,
        rpoMinutes: 10,
      }).map((m) => m.culprit.name),
    ).toEqual(["S3 replication (RTC)"]);
  });
});
