import * as pulumi from "@pulumi/pulumi";
import { modelInputs, parseConfig, unusedTierKeys } from "@aws-dr/model";
import type {
  Recording,
  RecordedResource,
  RawStackConfig,
} from "@aws-dr/testing";
import { STACK_SCHEMA } from "./settings";
import { requireReplica } from "./wiring/standby-replica";
import { MINIMAL_CONFIG, MINIMAL_KEYS, runnerOf } from "./test-stack";

const base: RawStackConfig = {
  ...MINIMAL_CONFIG,
  "dr:protectData": true,
  "dr:app": { amiId: "ami-0123456789abcdef0", minSize: 2, maxSize: 6 },
  "dr:database": { instanceClass: "db.r7g.large" },
  "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
  "dr:targets": { rtoMinutes: 60, rpoMinutes: 120 },
  "dr:backup": { schedule: "cron(0 * ? * * *)" },
  "dr:pilotLight": { replicaInstanceClass: "db.t4g.medium" },
  "dr:warmStandby": {
    minSize: 1,
    replicaInstanceClass: "db.r7g.medium",
  },
};
const run = async (overrides: RawStackConfig = {}) =>
  (await runnerOf(base)(overrides)).recorder;

const STATES = [
  ["backup-restore", false],
  ["backup-restore", true],
  ["pilot-light", false],
  ["pilot-light", true],
  ["warm-standby", false],
  ["warm-standby", true],
] as const;
const plans = new Map<string, Recording>();
const plan = (tier: string, failover: boolean) =>
  plans.get(`${tier}/${failover}`) as Recording;
beforeAll(async () => {
  for (const [tier, failover] of STATES)
    plans.set(
      `${tier}/${failover}`,
      await run({ "dr:tier": tier, "dr:failover": failover }),
    );
});

const db = (rec: Recording, name: string) =>
  rec.one("aws:rds/instance:Instance", name);
const group = (rec: Recording) =>
  rec.one("aws:autoscaling/group:Group", "recovery-asg").inputs;
const records = (rec: Recording) =>
  rec
    .ofType("aws:route53/record:Record")
    .map((r) => [
      r.name,
      r.inputs.setIdentifier,
      (r.inputs.weightedRoutingPolicies as { weight: number }[])[0].weight,
    ])
    .sort();

describe("pilot light and warm standby", () => {
  it.each(["pilot-light", "warm-standby"])(
    "%s keeps a cross-region read replica of the primary: source ARN, its own region's key, no credentials, no guard",
    (tier) => {
      const replica = db(plan(tier, false), "recovery-db");
      expect(replica.region).toBe("us-west-2");
      expect(replica.inputs).toMatchObject({
        replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:primary-db",
        kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/recovery-db-key",
        dbSubnetGroupName: "recovery-db-subnets",
        deletionProtection: false,
        skipFinalSnapshot: true,
        multiAz: false,
      });
      for (const key of [
        "dbName",
        "username",
        "password",
        "snapshotIdentifier",
        "finalSnapshotIdentifier",
      ])
        expect(replica.inputs).not.toHaveProperty(key);
      expect([replica.protect, replica.retainOnDelete]).toEqual([false, false]);
    },
  );

  it("runs the replica at each tier's standby class, promotes it as it is, and resizes it to the primary's in the next step", async () => {
    expect(
      db(plan("pilot-light", false), "recovery-db").inputs.instanceClass,
    ).toBe("db.t4g.medium");
    expect(
      db(plan("warm-standby", false), "recovery-db").inputs.instanceClass,
    ).toBe("db.r7g.medium");
    for (const [tier, standbyClass] of [
      ["pilot-light", "db.t4g.medium"],
      ["warm-standby", "db.r7g.medium"],
    ]) {
      // The promote step: the source removed, the replica's shape kept and its changes ignored,
      // so PromoteReadReplica (with retention 0: no first backup to wait for) is all RDS is sent.
      const promoted = db(plan(tier, true), "recovery-db");
      expect(promoted.inputs).not.toHaveProperty("replicateSourceDb");
      expect(promoted.inputs).toMatchObject({
        instanceClass: standbyClass,
        multiAz: false,
        backupRetentionPeriod: 0,
        applyImmediately: true,
        identifier: "aws-dr-test-recovery-db",
        // Serving production writes: guarded, and snapshotted if ever removed.
        deletionProtection: true,
        skipFinalSnapshot: false,
      });
      expect(promoted.ignoreChanges).toEqual(
        expect.arrayContaining([
          "instanceClass",
          "multiAz",
          "backupRetentionPeriod",
          "deletionProtection",
        ]),
      );
      expect(promoted.protect).toBe(true);
      expect(promoted.inputs).not.toHaveProperty("dbName");
      // Nothing else differs from the replica the engine has in its state: any other changed input
      // would be a ModifyDBInstance the writer and the records wait for after the promotion.
      const standby = db(plan(tier, false), "recovery-db");
      const changed = Object.keys({ ...standby.inputs, ...promoted.inputs })
        .filter(
          (key) =>
            JSON.stringify(standby.inputs[key]) !==
            JSON.stringify(promoted.inputs[key]),
        )
        .filter((key) => !promoted.ignoreChanges.includes(key));
      // The promotion itself; the role tag (a tagging call of its own); the final snapshot's
      // settings, which only a deletion reads.
      expect(changed.sort()).toEqual([
        "finalSnapshotIdentifier",
        "replicateSourceDb",
        "skipFinalSnapshot",
        "tags",
      ]);
      // The resize step: the primary's class, Multi-AZ and backups, nothing ignored but the origin's.
      const resized = db(
        await run({
          "dr:tier": tier,
          "dr:failover": true,
          "dr:failoverStep": "resize",
        }),
        "recovery-db",
      );
      expect(resized.inputs).toMatchObject({
        instanceClass: "db.r7g.large",
        multiAz: true,
        backupRetentionPeriod: 35,
        identifier: "aws-dr-test-recovery-db",
      });
      expect(resized.ignoreChanges).not.toContain("instanceClass");
      expect(resized.urn).toBe(promoted.urn);
    }
  });

  it("outputs the recovery database's URN, which the runbooks and pulumi-up.yml refresh alone before a failover run", async () => {
    const { recorder, outputs } = await runnerOf(base)({
      "dr:tier": "pilot-light",
    });
    expect(outputs.recoveryDatabaseUrn).toBe(
      recorder.one("aws:rds/instance:Instance", "recovery-db").urn,
    );
  });

  it("never waits for a standby fleet's capacity: a failover run must not stop before the writer and records, a standby takes no traffic", () => {
    let checked = 0;
    for (const [tier, failover] of STATES) {
      const rec = plan(tier, failover);
      const groups = rec.ofType("aws:autoscaling/group:Group");
      if (!groups.some((g) => g.name === "recovery-asg")) continue;
      checked++;
      expect([tier, failover, group(rec).waitForCapacityTimeout]).toEqual([
        tier,
        failover,
        "0",
      ]);
      expect(
        rec.one("aws:autoscaling/group:Group", "primary-asg").inputs,
      ).not.toHaveProperty("waitForCapacityTimeout");
    }
    // While it serves, the alarm says when capacity lags; not before (a standby runs few or none).
    for (const [tier, failover] of STATES) {
      const alarms = plan(tier, failover)
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .filter((a) => a.name === "recovery-capacity");
      expect([
        tier,
        failover,
        alarms.map((a) => a.inputs.alarmActions),
      ]).toEqual([
        tier,
        failover,
        failover
          ? [["arn:aws:sns:us-west-2:123456789012:topic/recovery-alerts"]]
          : [],
      ]);
    }
    // Every state with a recovery site: all but backup-restore before a failover.
    expect(checked).toBe(STATES.length - 1);
  });

  it("keeps the recovery site at zero (pilot light) or a small fleet (warm standby), able to grow to the primary's maximum, full on failover", () => {
    expect(group(plan("pilot-light", false))).toMatchObject({
      minSize: 0,
      maxSize: 6,
    });
    expect(group(plan("warm-standby", false))).toMatchObject({
      minSize: 1,
      maxSize: 6,
    });
    for (const tier of ["pilot-light", "warm-standby"])
      expect(group(plan(tier, true))).toMatchObject({ minSize: 2, maxSize: 6 });
    for (const [tier, failover] of STATES.slice(1))
      expect(group(plan(tier, failover))).not.toHaveProperty("desiredCapacity");
  });

  it("gives the recovery network NAT wherever instances run or may start (a Region switch plan scales the pilot light up before any pulumi up), none where none can", () => {
    const nat = (rec: Recording) =>
      (
        rec.one("awsx:ec2:Vpc", "recovery-vpc").inputs.natGateways as {
          strategy: string;
        }
      ).strategy;
    expect(nat(plan("backup-restore", false))).toBe("None");
    expect(nat(plan("pilot-light", false))).toBe("Single");
    expect(nat(plan("warm-standby", false))).toBe("Single");
    expect(nat(plan("pilot-light", true))).toBe("Single");
  });

  it("weights one health-checked record model at every tier: the standby at 0, only the recovery site once failed over", () => {
    expect(records(plan("backup-restore", false))).toEqual([
      ["app-primary", "primary", 1],
    ]);
    for (const tier of ["pilot-light", "warm-standby"]) {
      expect(records(plan(tier, false))).toEqual([
        ["app-primary", "primary", 1],
        ["app-recovery", "recovery", 0],
      ]);
    }
    for (const [tier] of STATES)
      expect(records(plan(tier, true))).toEqual([
        ["app-recovery", "recovery", 1],
      ]);
    for (const rec of [
      plan("warm-standby", false),
      plan("pilot-light", true),
    ]) {
      // The primary's own check and the Region switch plan's, combined (region-switch.test.ts).
      for (const r of rec.ofType("aws:route53/record:Record"))
        expect(r.inputs.healthCheckId).toBe(
          r.name === "app-primary"
            ? "app-primary-combined-id"
            : `${r.name}-health-id`,
        );
    }
    const check = plan("warm-standby", false).one(
      "aws:route53/healthCheck:HealthCheck",
      "app-recovery-health",
    );
    expect(check.inputs).toMatchObject({
      type: "HTTP",
      fqdn: "recovery-alb.us-west-2.elb.amazonaws.com",
      resourcePath: "/health",
      requestInterval: 30,
      failureThreshold: 3,
    });
  });

  it("switches to and from backup-restore without a second routing policy or a replaced record", () => {
    const urnsOf = (rec: Recording) =>
      new Map(
        rec.ofType("aws:route53/record:Record").map((r) => [r.urn, r.inputs]),
      );
    const from = urnsOf(plan("backup-restore", false));
    const to = urnsOf(plan("pilot-light", false));
    for (const [urn, inputs] of from) {
      expect(to.get(urn)).toMatchObject({
        setIdentifier: inputs.setIdentifier,
        name: inputs.name,
        type: inputs.type,
      });
    }
    for (const inputs of [...from.values(), ...to.values()])
      expect(inputs).toHaveProperty("weightedRoutingPolicies");
  });

  it("keeps every primary URN and data input identical across backup-restore, pilot light, warm standby and failover", () => {
    // The providers' default tags name the tier: an in-place tag update, nothing else. The Region
    // switch plan's endpoint function comes and goes with the plan at the replica tiers (ARC needs
    // one in each of its regions), and so does its alarm in us-east-1; the primary database's
    // alarms on the WAL its replica's slot holds come and go with the replica; nothing of the site
    // or its data.
    const primary = (rec: Recording) =>
      rec.resources
        .filter(
          (r: RecordedResource) =>
            r.region === "us-east-1" &&
            r.type !== "pulumi:providers:aws" &&
            !r.name.startsWith("endpoint-switch-") &&
            r.name !== "region-switch-primary-check" &&
            !r.name.startsWith("primary-db-alarms"),
        )
        .map((r) => ({ urn: r.urn, inputs: r.inputs, protect: r.protect }))
        .sort((a, b) => a.urn.localeCompare(b.urn));
    const reference = primary(plan("backup-restore", false));
    expect(reference.length).toBeGreaterThan(50);
    for (const [tier, failover] of STATES)
      expect(primary(plan(tier, failover))).toEqual(reference);
  });

  it("alarms on replica lag past dr:alerts.replicaLagMinutes and on S3 replication past RTC's 15 minutes (what the RPO estimate counts, not the target), each in its own region's topic", () => {
    const alarms = plan("pilot-light", false)
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .filter((a) => /replica|replication/.test(a.name))
      .map((a) => [a.name, a.region, a.inputs.threshold, a.inputs.alarmActions])
      .sort();
    expect(alarms).toEqual([
      [
        "data-replication-alarms-s3-failed",
        "us-east-1",
        0,
        ["arn:aws:sns:us-east-1:123456789012:topic/primary-alerts"],
      ],
      [
        "data-replication-alarms-s3-latency",
        "us-east-1",
        900,
        ["arn:aws:sns:us-east-1:123456789012:topic/primary-alerts"],
      ],
      [
        "replica-alarms-replica-lag",
        "us-west-2",
        300,
        ["arn:aws:sns:us-west-2:123456789012:topic/recovery-alerts"],
      ],
    ]);
  });

  it("fences the primary record in Route 53's data plane while failed over: data published in the recovery region, an alarm on it that its health check reads", () => {
    const alarms = STATES.map(
      ([tier, failover]) =>
        plan(tier, failover).one(
          "aws:cloudwatch/metricAlarm:MetricAlarm",
          "primary-fence",
        ).inputs,
    );
    // Route 53 keeps the alarm settings it copied when the check was made: they never change.
    for (const alarm of alarms) expect(alarm).toEqual(alarms[0]);
    expect(alarms[0]).toMatchObject({
      namespace: "aws-dr/Fence",
      metricName: "PrimaryFenced",
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    for (const [tier, failover] of STATES) {
      const rec = plan(tier, failover);
      const schedule = rec.one(
        "aws:scheduler/schedule:Schedule",
        "primary-fence",
      );
      const target = schedule.inputs.target as { arn: string; input: string };
      const published = JSON.parse(target.input) as {
        Namespace: string;
        MetricData: { MetricName: string; Value: number }[];
      };
      // The failover run changes what is published, in the recovery region, first: it waits for
      // nothing.
      expect([
        tier,
        failover,
        schedule.region,
        published.MetricData[0].Value,
      ]).toEqual([tier, failover, "us-west-2", failover ? 1 : 0]);
      expect(target.arn).toBe(
        "arn:aws:scheduler:::aws-sdk:cloudwatch:putMetricData",
      );
      expect(published).toMatchObject({
        Namespace: "aws-dr/Fence",
        MetricData: [{ MetricName: "PrimaryFenced" }],
      });
      // Its role may act before it runs; while fenced it waits for nothing else, and it lifts
      // only once the primary record (which waits for the primary's database and fleet) is in place.
      expect(schedule.dependsOn.map((urn) => urn.split("::").pop())).toEqual(
        failover
          ? ["primary-fence-publisher"]
          : [
              "primary-fence-publisher",
              // The SiteRecord component: its health checks and its record.
              "app-primary-health",
              "app-primary-fence",
              "app-primary-combined",
              "app-primary",
            ],
      );
      expect(
        rec.one("aws:iam/role:Role", "primary-fence-publisher").inputs
          .assumeRolePolicy,
      ).toMatchObject({
        Statement: [
          {
            Principal: { Service: "scheduler.amazonaws.com" },
            Condition: {
              StringEquals: { "aws:SourceAccount": expect.any(String) },
            },
          },
        ],
      });
      expect(Object.keys(schedule.propertyDependencies)).toEqual(["target"]);
      // Whatever stops the fence publishing (its schedule, its role) pages the recovery topic.
      expect(
        rec.one(
          "aws:cloudwatch/metricAlarm:MetricAlarm",
          "primary-fence-publishing",
        ).inputs,
      ).toMatchObject({
        namespace: "aws-dr/Fence",
        metricName: "PrimaryFenced",
        statistic: "SampleCount",
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
        alarmActions: [expect.stringContaining("recovery-alerts")],
      });
      // The primary record's health check holds the fence's wherever the record exists (failed
      // over it is removed too, where Route 53's control plane answers).
      if (failover) continue;
      const check = rec.one(
        "aws:route53/healthCheck:HealthCheck",
        "app-primary-fence",
      );
      expect(check.inputs).toMatchObject({
        type: "CLOUDWATCH_METRIC",
        cloudwatchAlarmName: "aws-dr-test-primary-fence",
        cloudwatchAlarmRegion: "us-west-2",
        insufficientDataHealthStatus: "LastKnownStatus",
      });
    }
    const combined = plan("warm-standby", false).one(
      "aws:route53/healthCheck:HealthCheck",
      "app-primary-combined",
    );
    expect(combined.inputs.childHealthchecks).toContain("app-primary-fence-id");
    expect(combined.inputs.childHealthThreshold).toBe(
      (combined.inputs.childHealthchecks as string[]).length,
    );
  });

  it("fails over without calling the primary region: the replica and the account are asked of the recovery region", () => {
    for (const tier of ["pilot-light", "warm-standby"]) {
      const rec = plan(tier, true);
      expect(rec.calls.map((c) => [c.token, c.region]).sort()).toEqual([
        ["aws:index/getCallerIdentity:getCallerIdentity", "us-west-2"],
        ["aws:rds/getInstances:getInstances", "us-west-2"],
        // The deployed state, from the state backend (no AWS region).
        ["pulumi:pulumi:StackReference", undefined],
      ]);
    }
  });

  it("refuses to promote a replica that does not exist, rather than serve an empty database", () => {
    expect(
      requireReplica(["aws-dr-prod-recovery-db"], "aws-dr-prod-recovery-db"),
    ).toBe("aws-dr-prod-recovery-db");
    expect(() => requireReplica([], "aws-dr-prod-recovery-db")).toThrow(
      pulumi.RunError,
    );
    expect(() => requireReplica([], "aws-dr-prod-recovery-db")).toThrow(
      /no standby replica aws-dr-prod-recovery-db .* empty database/,
    );
  });
});

describe("tier settings", () => {
  const raw = {
    ...MINIMAL_KEYS,
    tier: "pilot-light",
  };
  const problems = (extra: Record<string, unknown>) => {
    try {
      parseConfig({ ...raw, ...extra }, STACK_SCHEMA);
      return [];
    } catch (err) {
      return (err as { problems: string[] }).problems;
    }
  };

  it("gives the recovery model each tier's replica class, from the tier key that tier uses", () => {
    const cfg = parseConfig(
      {
        ...raw,
        pilotLight: { replicaInstanceClass: "db.t4g.small" },
        warmStandby: { replicaInstanceClass: "db.r7g.medium" },
        gameDay: { enabled: false },
      },
      STACK_SCHEMA,
    );
    expect(
      modelInputs(cfg, STACK_SCHEMA.profiles).replicaInstanceClass,
    ).toEqual({
      "pilot-light": "db.t4g.small",
      "warm-standby": "db.r7g.medium",
    });
  });

  it("defaults every tier key, so dr:tier alone switches tiers", () => {
    for (const tier of ["backup-restore", "pilot-light", "warm-standby"]) {
      const cfg = parseConfig({ ...raw, tier }, STACK_SCHEMA);
      expect(cfg.warmStandby).toEqual({ minSize: 1 });
      expect(cfg.pilotLight).toEqual({});
    }
  });

  it("reports bad tier keys in the one error with the shared keys, naming key, value and rule", () => {
    expect(
      problems({
        primaryRegion: "nowhere",
        warmStandby: { minSize: 0 },
        pilotLight: { size: 1 },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining('dr:primaryRegion = "nowhere"'),
        expect.stringContaining("dr:warmStandby.minSize = 0"),
        expect.stringContaining(
          "dr:pilotLight.size: unknown key; allowed here: replicaInstanceClass",
        ),
      ]),
    );
    expect(problems({ warmStandby: { minSize: 5 } })).toEqual([
      "dr:warmStandby.minSize = 5: must not exceed dr:app.maxSize (4): the standby fleet grows to the primary's maximum",
    ]);
    expect(problems({ teir: "x" })[0]).toMatch(
      /allowed here: .*pilotLight, warmStandby/,
    );
  });

  it("keeps another tier's keys and warns that they are unused, never refusing the switch", () => {
    const config = { ...raw, warmStandby: { minSize: 2 } };
    expect(parseConfig(config, STACK_SCHEMA).warmStandby).toEqual({
      minSize: 2,
    });
    expect(unusedTierKeys(config, "pilot-light", STACK_SCHEMA)).toEqual([
      expect.stringMatching(
        /^dr:warmStandby is set but not used at dr:tier pilot-light/,
      ),
    ]);
    expect(unusedTierKeys(config, "warm-standby", STACK_SCHEMA)).toEqual([]);
  });
});
