import {
  assessTiers,
  ConfigError,
  describeMiss,
  estimateRpo,
  estimateRto,
  missedTargets,
  modelInputs,
  parseConfig,
  replicaLagAlarm,
  S3_LATENCY_ALARM,
  TIERS,
  type ModelInputs,
} from "@aws-dr/model";
import { TIER_PROFILES } from "./profiles";
import { STACK_SCHEMA } from "./settings";
import { MINIMAL_KEYS } from "./test-config";

const inputs: ModelInputs = {
  backup: { schedule: "cron(0 */6 ? * * *)" },
  healthCheck: { intervalSeconds: 30, failureThreshold: 3 },
  database: { instanceClass: "db.r7g.large", allocatedStorageGb: 250 },
  alerts: { replicaLagMinutes: 5 },
  replicaInstanceClass: { "pilot-light": "db.t4g.medium" },
};
const names = (parts: { name: string; minutes: number }[]) =>
  Object.fromEntries(parts.map((p) => [p.name, p.minutes]));

describe("the recovery model, on hand-computed cases", () => {
  it("backup-restore RPO: a 6-hour schedule plus the copy's hour, RTC aside", () => {
    const rpo = estimateRpo(TIER_PROFILES["backup-restore"], inputs);
    expect(names(rpo.parts)).toEqual({
      "backup interval": 360,
      "cross-region copy delay": 60,
      "S3 replication (RTC)": 15,
    });
    expect(rpo.minutes).toBe(420);
    expect(rpo.formula).toBe(
      "max(backup interval + cross-region copy delay, S3 replication (RTC))",
    );
    expect(rpo.decidedBy.name).toBe("backup interval");
    expect(rpo.parts[0].basis).toBe("dr:backup.schedule cron(0 */6 ? * * *)");
  });

  it("replica tiers' RPO: the lag alarm's threshold plus its 5-minute window, or RTC's 15 minutes when that is longer", () => {
    for (const tier of [
      "pilot-light",
      "warm-standby",
      "active-active",
    ] as const) {
      const rpo = estimateRpo(TIER_PROFILES[tier], inputs);
      expect(names(rpo.parts)).toEqual({
        "replica lag alarm threshold": 5,
        "lag alarm window": 5,
        "S3 replication (RTC)": 15,
      });
      expect(rpo.formula).toBe(
        "max(replica lag alarm threshold + lag alarm window, S3 replication (RTC))",
      );
      expect(rpo.minutes).toBe(15);
      expect(rpo.decidedBy.name).toBe("S3 replication (RTC)");
    }
    const rpo = (replicaLagMinutes: number) =>
      estimateRpo(TIER_PROFILES["pilot-light"], {
        ...inputs,
        alerts: { replicaLagMinutes },
      });
    // 10 + 5 ties RTC: RTC decides, as no setting changes it.
    expect([rpo(10).minutes, rpo(10).decidedBy.name]).toEqual([
      15,
      "S3 replication (RTC)",
    ]);
    // 12 + 5 = 17 beats RTC: the threshold decides, though it alone is under 15.
    expect([rpo(12).minutes, rpo(12).decidedBy.name]).toEqual([
      17,
      "replica lag alarm threshold",
    ]);
    expect(rpo(60).minutes).toBe(65);
    const [threshold, window] = rpo(12).parts;
    expect(threshold.basis).toMatch(
      /^dr:alerts\.replicaLagMinutes; normal cross-region lag, assumed at most 1 min/,
    );
    expect(window.basis).toBe(
      "60 s period x 5 breaching periods before the alarm fires",
    );
  });

  it("never reads the targets: the same config gives the same RPO whatever dr:targets.rpoMinutes says", () => {
    const cfg = (rpoMinutes: number) =>
      parseConfig(
        {
          ...MINIMAL_KEYS,
          tier: "warm-standby",
          targets: { rpoMinutes },
        },
        STACK_SCHEMA,
        { checkTargets: false },
      );
    const at = (rpoMinutes: number) =>
      assessTiers(
        TIER_PROFILES,
        modelInputs(cfg(rpoMinutes), TIER_PROFILES),
        cfg(rpoMinutes).targets,
      ).map((t) => t.rpo.minutes);
    // The default daily backup at backup-restore; 5 + 5 min of lag, under RTC, at the replica tiers.
    expect(at(1500)).toEqual([1500, 15, 15, 15]);
    expect(at(10)).toEqual(at(1500));
    expect(at(100000)).toEqual(at(1500));
  });

  it("the alarms watch what the estimate counts: replica lag past dr:alerts.replicaLagMinutes for 5 one-minute periods, S3 past RTC's 15 minutes", () => {
    expect(replicaLagAlarm({ replicaLagMinutes: 3 })).toEqual({
      thresholdMinutes: 3,
      periodSeconds: 60,
      evaluationPeriods: 5,
    });
    expect(S3_LATENCY_ALARM.thresholdMinutes).toBe(15);
  });

  it("backup-restore RTO: detection 1.5 + deploy 3 + max(restore 30 + 3 x 10, site 18, fence 2) + DNS 1 = 65.5", () => {
    const rto = estimateRto(TIER_PROFILES["backup-restore"], inputs);
    expect(names(rto.parts)).toEqual({
      detection: 1.5,
      "failover pulumi up": 3,
      "database restore": 60,
      "compute: site built and launched": 18,
      "fence: primary record off": 2,
      "DNS TTL": 1,
    });
    expect(rto.minutes).toBe(65.5);
    expect(rto.decidedBy.name).toBe("database restore");
  });

  it("RTO formula: says the decision to fail over is not counted, and runs the fence beside the database and the fleet", () => {
    for (const tier of TIERS) {
      const rto = estimateRto(TIER_PROFILES[tier], inputs);
      expect(rto.formula).toBe(
        "detection + decision (excluded) + failover pulumi up + max(database, compute, fence) + DNS TTL",
      );
      // A data-plane fence (an alarm Route 53's health checkers read) waits for no control plane:
      // 2 minutes, under every tier's database or fleet, so it adds nothing.
      const fence = rto.parts.find(
        (p) => p.name === "fence: primary record off",
      );
      expect(fence?.minutes).toBe(2);
      expect(fence?.basis).toMatch(/^Route 53's data plane/);
      const minutes = (prefix: string) =>
        rto.parts.find((p) => p.name.startsWith(prefix))?.minutes ?? NaN;
      expect(rto.minutes).toBeCloseTo(
        minutes("detection") +
          minutes("failover pulumi up") +
          Math.max(minutes("database"), minutes("compute")) +
          minutes("DNS TTL"),
      );
      expect(Math.max(minutes("database"), minutes("compute"))).toBeGreaterThan(
        fence?.minutes ?? 0,
      );
    }
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

  it("names the part that breaks a target that cannot be met, with what sets it", () => {
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
      "cannot be met at backup-restore: the estimate is 65.5 min (detection + decision (excluded) + failover pulumi up + max(database, compute, fence) + DNS TTL), and database restore alone takes 60 min (30 min + 10 min x 3, per started 100 GB of 250 GB); choose a higher dr:tier, change that part or raise the target (npm run assess)",
    );
    expect(describeMiss("backup-restore", misses[0])).toContain(
      "and backup interval alone takes 360 min (dr:backup.schedule cron(0 */6 ? * * *))",
    );
    expect(
      missedTargets(TIER_PROFILES["warm-standby"], inputs, {
        rtoMinutes: 30,
        rpoMinutes: 10,
      }).map((m) => m.culprit.name),
    ).toEqual(["S3 replication (RTC)"]);
  });

  it("at the top tier, offers no higher one", () => {
    const [miss] = missedTargets(TIER_PROFILES["active-active"], inputs, {
      rtoMinutes: 60,
      rpoMinutes: 10,
    });
    expect(describeMiss("active-active", miss)).toMatch(
      /; change that part or raise the target \(npm run assess\)$/,
    );
  });
});

describe("a target under the honest estimate is refused", () => {
  const raw = (overrides: Record<string, unknown>) => ({
    ...MINIMAL_KEYS,
    tier: "pilot-light",
    ...overrides,
  });
  const problems = (overrides: Record<string, unknown>) => {
    try {
      parseConfig(raw(overrides), STACK_SCHEMA);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.problems;
    }
  };

  it("names the key, the value and RTC's bound, which no replica tier gets under", () => {
    expect(problems({ targets: { rpoMinutes: 10 } })).toEqual([
      "dr:targets.rpoMinutes = 10: cannot be met at pilot-light: the estimate is 15 min (max(replica lag alarm threshold + lag alarm window, S3 replication (RTC))), and S3 replication (RTC) alone takes 15 min (AWS's RTC SLA: 99.99% of objects within 15 min; alarmed past it); choose a higher dr:tier, change that part or raise the target (npm run assess)",
    ]);
    expect(problems({ targets: { rpoMinutes: 15 } })).toEqual([]);
  });

  it("names the lag alarm's threshold and its key when the lag tolerated undetected exceeds the target", () => {
    const [problem] = problems({
      alerts: { replicaLagMinutes: 20 },
      targets: { rpoMinutes: 20 },
    });
    expect(problem).toBe(
      "dr:targets.rpoMinutes = 20: cannot be met at pilot-light: the estimate is 25 min (max(replica lag alarm threshold + lag alarm window, S3 replication (RTC))), and replica lag alarm threshold alone takes 20 min (dr:alerts.replicaLagMinutes; normal cross-region lag, assumed at most 1 min, stays below it); choose a higher dr:tier, change that part or raise the target (npm run assess)",
    );
    // A target the old model passed for any tier: the alarm was the target itself.
    expect(
      problems({
        alerts: { replicaLagMinutes: 20 },
        targets: { rpoMinutes: 25 },
      }),
    ).toEqual([]);
  });

  it("refuses a replica lag threshold under a minute or over a day", () => {
    expect(problems({ alerts: { replicaLagMinutes: 0 } })[0]).toMatch(
      /^dr:alerts\.replicaLagMinutes = 0: /,
    );
    expect(problems({ alerts: { replicaLagMinutes: 2000 } })[0]).toMatch(
      /^dr:alerts\.replicaLagMinutes = 2000: /,
    );
  });
});
