// Replication that cannot hurt the primary or stall the standby: the hot-standby settings every
// database pins alike, the bound on the WAL a replica's slot keeps on its source and the source's
// alarms, read-serving replicas' settings, and a promoted small replica's Performance Insights key.
import type { Recording, RawStackConfig } from "@aws-dr/testing";
import { MINIMAL_CONFIG, runnerOf } from "./test-stack";

const base: RawStackConfig = {
  ...MINIMAL_CONFIG,
  "dr:app": { amiId: "ami-0123456789abcdef0", minSize: 2, maxSize: 6 },
  // Staging's shape: a micro standby replica under a small primary.
  "dr:database": {
    instanceClass: "db.t4g.small",
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
  },
  "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
  "dr:targets": { rtoMinutes: 60, rpoMinutes: 120 },
  "dr:backup": { schedule: "cron(0 * ? * * *)" },
  "dr:pilotLight": { replicaInstanceClass: "db.t4g.micro" },
  "dr:warmStandby": { minSize: 1, replicaInstanceClass: "db.t4g.micro" },
  "dr:activeActive": { replicaInstanceClass: "db.t4g.micro" },
};
const run = async (overrides: RawStackConfig = {}) =>
  (await runnerOf(base)(overrides)).recorder;

// Warm standby's databases are pilot light's (one profile fact apart: its fleet), so pilot light
// stands for both; active-active's replica serves reads.
const TIERS = ["backup-restore", "pilot-light", "active-active"] as const;
const REPLICA_TIERS = TIERS.slice(1);
const plans = new Map<string, Recording>();
const plan = (tier: string, state = "standby") =>
  plans.get(`${tier} ${state}`) as Recording;
beforeAll(async () => {
  for (const tier of TIERS) {
    plans.set(`${tier} standby`, await run({ "dr:tier": tier }));
    plans.set(
      `${tier} promote`,
      await run({ "dr:tier": tier, "dr:failover": true }),
    );
  }
  for (const tier of REPLICA_TIERS) {
    plans.set(
      `${tier} resize`,
      await run({
        "dr:tier": tier,
        "dr:failover": true,
        "dr:failoverStep": "resize",
      }),
    );
    plans.set(
      `${tier} reseed`,
      await run({
        "dr:tier": tier,
        "dr:failover": true,
        "dr:failoverStep": "resize",
        "dr:failback": "reseed",
      }),
    );
  }
});

type Parameter = { name: string; value: string; applyMethod?: string };
const parametersOf = (rec: Recording, database: string) =>
  new Map(
    (
      rec.one("aws:rds/parameterGroup:ParameterGroup", `${database}-params`)
        .inputs.parameters as Parameter[]
    ).map((p) => [p.name, p]),
  );
const HOT_STANDBY = [
  "max_connections",
  "max_worker_processes",
  "max_locks_per_transaction",
  "max_prepared_transactions",
  "max_wal_senders",
];
const hotStandby = (rec: Recording, database: string) => {
  const parameters = parametersOf(rec, database);
  return HOT_STANDBY.map((name) => parameters.get(name));
};

describe("hot-standby settings", () => {
  it.each(REPLICA_TIERS)(
    "%s: the micro replica's group pins the small primary's values, static, at every step of a failover and failback; the primary keeps RDS's own",
    (tier) => {
      const primary = hotStandby(plan(tier), "recovery-db");
      // db.t4g.small: 2 GiB, 2 vCPUs. Sized by its own 1 GiB the replica would get 112.
      expect(primary).toEqual([
        {
          name: "max_connections",
          value: "225",
          applyMethod: "pending-reboot",
        },
        {
          name: "max_worker_processes",
          value: "8",
          applyMethod: "pending-reboot",
        },
        {
          name: "max_locks_per_transaction",
          value: "64",
          applyMethod: "pending-reboot",
        },
        {
          name: "max_prepared_transactions",
          value: "0",
          applyMethod: "pending-reboot",
        },
        { name: "max_wal_senders", value: "35", applyMethod: "pending-reboot" },
      ]);
      expect(
        plan(tier).one("aws:rds/instance:Instance", "recovery-db").inputs
          .instanceClass,
      ).toBe("db.t4g.micro");
      for (const state of ["standby", "promote", "resize", "reseed"]) {
        expect([state, hotStandby(plan(tier, state), "recovery-db")]).toEqual([
          state,
          primary,
        ]);
        // Never a standby: RDS's values, at or below the pinned ones whatever reboots first.
        expect([state, hotStandby(plan(tier, state), "primary-db")]).toEqual([
          state,
          HOT_STANDBY.map(() => undefined),
        ]);
      }
      // The failback's successor, a replica of the promoted recovery database.
      expect(hotStandby(plan(tier, "reseed"), "primary-db-2")).toEqual(primary);
    },
  );

  it("changes no parameter group on the failover path: the promote step's groups are the standby's", () => {
    for (const tier of REPLICA_TIERS)
      for (const database of ["primary-db", "recovery-db"])
        expect([
          tier,
          database,
          [...parametersOf(plan(tier, "promote"), database).values()],
        ]).toEqual([
          tier,
          database,
          [...parametersOf(plan(tier), database).values()],
        ]);
  });

  it("keeps long reads only on the replica that serves them: active-active's", () => {
    const reads = (rec: Recording, database: string) => {
      const parameters = parametersOf(rec, database);
      return ["hot_standby_feedback", "max_standby_streaming_delay"].map(
        (name) => parameters.get(name)?.value,
      );
    };
    expect(reads(plan("active-active"), "recovery-db")).toEqual([
      "1",
      "300000",
    ]);
    // Kept once promoted, where it does nothing: the failover changes no parameter.
    expect(reads(plan("active-active", "promote"), "recovery-db")).toEqual([
      "1",
      "300000",
    ]);
    for (const tier of TIERS) {
      expect([tier, reads(plan(tier), "primary-db")]).toEqual([
        tier,
        [undefined, undefined],
      ]);
      if (tier !== "backup-restore" && tier !== "active-active")
        expect([tier, reads(plan(tier), "recovery-db")]).toEqual([
          tier,
          [undefined, undefined],
        ]);
    }
    // Nor on the failback's successor, which serves nothing until promoted.
    expect(reads(plan("active-active", "reseed"), "primary-db-2")).toEqual([
      undefined,
      undefined,
    ]);
  });
});

describe("the source's side of replication", () => {
  it.each(TIERS)(
    "%s bounds the WAL slots keep on the primary to a fifth of its allocated storage",
    (tier) => {
      // 20 GiB allocated: 4096 MB, applied at once (a dynamic parameter).
      expect(
        parametersOf(plan(tier), "primary-db").get("max_slot_wal_keep_size"),
      ).toEqual({
        name: "max_slot_wal_keep_size",
        value: "4096",
      });
    },
  );

  const sourceAlarms = (rec: Recording) =>
    rec
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .filter((a) => /^(primary|recovery)-db-alarms-/.test(a.name))
      .map((a) => ({
        name: a.name,
        region: a.region,
        metric: a.inputs.metricName,
        dimensions: a.inputs.dimensions,
        threshold: a.inputs.threshold,
        comparison: a.inputs.comparisonOperator,
        actions: a.inputs.alarmActions,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  const PRIMARY_TOPIC =
    "arn:aws:sns:us-east-1:123456789012:topic/primary-alerts";
  const RECOVERY_TOPIC =
    "arn:aws:sns:us-west-2:123456789012:topic/recovery-alerts";
  const MB = 2 ** 20;

  it.each(REPLICA_TIERS)(
    "%s alarms in the primary region, to the primary's topic, on the primary's slot lag, WAL on disk and free storage",
    (tier) => {
      // The mocks' identifier of the autonamed primary.
      const dimensions = { DBInstanceIdentifier: "primary-db" };
      expect(sourceAlarms(plan(tier))).toEqual([
        {
          name: "primary-db-alarms-free-storage",
          region: "us-east-1",
          metric: "FreeStorageSpace",
          dimensions,
          // 5% of the 20 GiB it has at least.
          threshold: 2 ** 30,
          comparison: "LessThanThreshold",
          actions: [PRIMARY_TOPIC],
        },
        {
          name: "primary-db-alarms-slot-lag",
          region: "us-east-1",
          metric: "OldestReplicationSlotLag",
          dimensions,
          // Halfway to max_slot_wal_keep_size.
          threshold: 2048 * MB,
          comparison: "GreaterThanThreshold",
          actions: [PRIMARY_TOPIC],
        },
        {
          name: "primary-db-alarms-wal-disk",
          region: "us-east-1",
          metric: "TransactionLogsDiskUsage",
          dimensions,
          threshold: 4096 * MB,
          comparison: "GreaterThanThreshold",
          actions: [PRIMARY_TOPIC],
        },
      ]);
    },
  );

  it("watches no source at backup-restore, and keeps the primary's alarms as they are through a failover: its run calls nothing in the primary region", () => {
    expect(sourceAlarms(plan("backup-restore"))).toEqual([]);
    expect(sourceAlarms(plan("backup-restore", "promote"))).toEqual([]);
    for (const tier of REPLICA_TIERS)
      for (const state of ["promote", "resize"])
        expect([tier, state, sourceAlarms(plan(tier, state))]).toEqual([
          tier,
          state,
          sourceAlarms(plan(tier)),
        ]);
  });

  it.each(REPLICA_TIERS)(
    "%s watches the promoted recovery database, in its region and topic, while it seeds the failback's successor",
    (tier) => {
      const alarms = sourceAlarms(plan(tier, "reseed")).filter((a) =>
        a.name.startsWith("recovery-db-alarms-"),
      );
      expect(alarms.map((a) => [a.name, a.region, a.actions])).toEqual([
        ["recovery-db-alarms-free-storage", "us-west-2", [RECOVERY_TOPIC]],
        ["recovery-db-alarms-slot-lag", "us-west-2", [RECOVERY_TOPIC]],
        ["recovery-db-alarms-wal-disk", "us-west-2", [RECOVERY_TOPIC]],
      ]);
      // The mocks' identifier of the recovery database.
      for (const alarm of alarms)
        expect(alarm.dimensions).toEqual({
          DBInstanceIdentifier: "recovery-db",
        });
    },
  );
});

describe("a promoted small replica's Performance Insights key", () => {
  it.each(REPLICA_TIERS)(
    "%s: off on the micro replica through its promotion, and no ignoreChanges holds the key back at the resize step",
    (tier) => {
      for (const state of ["standby", "promote"]) {
        const db = plan(tier, state).one(
          "aws:rds/instance:Instance",
          "recovery-db",
        );
        expect([state, db.inputs.performanceInsightsEnabled]).toEqual([
          state,
          false,
        ]);
        expect(db.inputs).not.toHaveProperty("performanceInsightsKmsKeyId");
      }
      const resized = plan(tier, "resize").one(
        "aws:rds/instance:Instance",
        "recovery-db",
      );
      // The resize gives it the primary's class: db.t4g.small has no Performance Insights either
      // (a larger primary's below).
      expect(resized.inputs).toMatchObject({
        instanceClass: "db.t4g.small",
        performanceInsightsEnabled: false,
      });
      expect(resized.ignoreChanges).not.toContain(
        "performanceInsightsKmsKeyId",
      );
      expect(resized.ignoreChanges).toContain("kmsKeyId");
    },
  );

  it.each(REPLICA_TIERS)(
    "%s under a db.r7g.large primary: the resize step turns Performance Insights on under the recovery database's own key",
    async (tier) => {
      const resized = (
        await run({
          "dr:tier": tier,
          "dr:database": { instanceClass: "db.r7g.large" },
          "dr:failover": true,
          "dr:failoverStep": "resize",
        })
      ).one("aws:rds/instance:Instance", "recovery-db");
      expect(resized.inputs).toMatchObject({
        instanceClass: "db.r7g.large",
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId:
          "arn:aws:kms:us-west-2:123456789012:key/recovery-db-key",
      });
      expect(resized.ignoreChanges).not.toContain(
        "performanceInsightsKmsKeyId",
      );
    },
  );
});
