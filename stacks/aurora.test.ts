import {
  ASSUMED_MINUTES,
  checkMove,
  drStateOf,
  estimateRpo,
  estimateRto,
  modelInputs,
  nextStates,
  parseConfig,
  type DrState,
} from "@aws-dr/model";
import { PlanRecorder, runProgram } from "@aws-dr/offline-plan";
import {
  ProgramError,
  type Recording,
  type RecordedResource,
  type RawStackConfig,
} from "@aws-dr/testing";
import program = require("./index");
import { TIER_PROFILES } from "./profiles";
import { STACK_SCHEMA } from "./settings";
import { auroraWriterProblem } from "./wiring/aurora-writer";
import { MINIMAL_CONFIG, runnerOf } from "./test-stack";

// dr:database.engine=aurora-postgresql at every tier, in prod's shape: the sites' clusters, what a
// failover done by AWS leaves the program to change (nothing of the database but the resize step's
// instances), the app's endpoints, and the Region switch plan's Aurora step.
const AURORA = {
  engine: "aurora-postgresql",
  instanceClass: "db.r7g.large",
  globalRpoSeconds: 60,
};
const base: RawStackConfig = {
  ...MINIMAL_CONFIG,
  "dr:protectData": true,
  "dr:app": { amiId: "ami-0123456789abcdef0", minSize: 2, maxSize: 6 },
  "dr:database": AURORA,
  "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
  "dr:targets": { rtoMinutes: 60, rpoMinutes: 120 },
  "dr:backup": { schedule: "cron(0 * ? * * *)", isolatedCopy: {} },
  "dr:regionSwitch": {
    enabled: true,
    primaryHealthCheckId: "0d6a3e3c-1111-4222-8333-444455556666",
  },
};
const run = runnerOf(base);
const STATES = {
  activeActive: { "dr:tier": "active-active" },
  activeActiveFailover: { "dr:tier": "active-active", "dr:failover": true },
  pilotLight: { "dr:tier": "pilot-light" },
  pilotLightFailover: { "dr:tier": "pilot-light", "dr:failover": true },
  pilotLightResize: {
    "dr:tier": "pilot-light",
    "dr:failover": true,
    "dr:failoverStep": "resize",
  },
  warmStandby: { "dr:tier": "warm-standby" },
  warmStandbyResize: {
    "dr:tier": "warm-standby",
    "dr:failover": true,
    "dr:failoverStep": "resize",
  },
  backupRestoreFailover: {
    "dr:tier": "backup-restore",
    "dr:failover": true,
    "dr:regionSwitch": { enabled: false },
    // A regional cluster: the burstable default class, and the global bound kept but unused.
    "dr:database": { engine: "aurora-postgresql", globalRpoSeconds: 60 },
  },
} satisfies Record<string, RawStackConfig>;
type State = keyof typeof STATES;
const plans = new Map<State, Recording>();
beforeAll(async () => {
  for (const state of Object.keys(STATES) as State[])
    plans.set(state, (await run(STATES[state])).recorder);
});
const plan = (state: State) => plans.get(state) as Recording;
const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const cluster = (state: State, site: "primary" | "recovery") =>
  plan(state).one(CLUSTER, `${site}-db`);
const instancesOf = (state: State, site: "primary" | "recovery") =>
  plan(state)
    .ofType(INSTANCE)
    .filter((i) => i.name.startsWith(`${site}-db-`))
    .map((i) => [i.name, i.inputs.instanceClass]);
const parameter = (state: State, name: string) =>
  plan(state).one("aws:ssm/parameter:Parameter", name).inputs.insecureValue;

describe("Aurora at the replica tiers: a global database", () => {
  it("joins a cluster in each region, each under its own region's key, to one encrypted global database; no RDS instance", () => {
    const global = plan("activeActive").one(
      "aws:rds/globalCluster:GlobalCluster",
    );
    expect(global).toMatchObject({
      region: "us-east-1",
      protect: true,
      inputs: {
        engine: "aurora-postgresql",
        engineVersion: "16.6",
        storageEncrypted: true,
        deletionProtection: true,
      },
    });
    const keys = plan("activeActive").ofType("aws:kms/key:Key");
    for (const site of ["primary", "recovery"] as const) {
      const c = cluster("activeActive", site);
      expect(c.region).toBe(site === "primary" ? "us-east-1" : "us-west-2");
      expect(c.inputs).toMatchObject({
        engine: "aurora-postgresql",
        globalClusterIdentifier: global.inputs.globalClusterIdentifier,
        storageEncrypted: true,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: ["postgresql"],
      });
      const key = keys.find((k) => k.name === `${site}-db-key`);
      expect(key?.region).toBe(c.region);
      expect(c.inputs.kmsKeyId).toContain(`:${c.region}:`);
    }
    expect(plan("activeActive").ofType("aws:rds/instance:Instance")).toEqual(
      [],
    );
  });

  it("gives only the primary a database name, master user and password; the secondary has the writer's", () => {
    expect(cluster("activeActive", "primary").inputs).toMatchObject({
      databaseName: "app",
      masterUsername: "app",
      masterPassword: "[secret]",
    });
    const secondary = cluster("activeActive", "recovery").inputs;
    for (const key of ["databaseName", "masterUsername", "masterPassword"])
      expect(secondary[key]).toBeUndefined();
  });

  it("ignores on both members what AWS changes when the writer moves, so the next pulumi up promotes or detaches nothing", () => {
    for (const site of ["primary", "recovery"] as const)
      expect(cluster("activeActive", site).ignoreChanges).toEqual(
        expect.arrayContaining([
          "replicationSourceIdentifier",
          "globalClusterIdentifier",
          "engineVersion",
        ]),
      );
  });

  it("forces TLS and bounds the RPO in every member's parameter group; forwards writes only at active-active", () => {
    const groups = plan("activeActive").ofType(
      "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    );
    expect(groups.map((g) => g.inputs.family)).toEqual([
      "aurora-postgresql16",
      "aurora-postgresql16",
    ]);
    for (const g of groups)
      expect(g.inputs.parameters).toEqual(
        expect.arrayContaining([
          { name: "rds.force_ssl", value: "1" },
          { name: "rds.global_db_rpo", value: "60" },
        ]),
      );
    // The writer of a failover holds no commits for the old primary rejoining behind it; the
    // primary's group is as it was (nothing there changes while failed over).
    const failedOver = (name: string) =>
      plan("activeActiveFailover").one(
        "aws:rds/clusterParameterGroup:ClusterParameterGroup",
        name,
      ).inputs.parameters;
    expect(failedOver("recovery-db-params")).not.toContainEqual(
      expect.objectContaining({ name: "rds.global_db_rpo" }),
    );
    expect(failedOver("primary-db-params")).toContainEqual({
      name: "rds.global_db_rpo",
      value: "60",
    });
    // A regional cluster (backup-restore) has no secondary to wait for.
    const regional = plan("backupRestoreFailover").ofType(
      "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    );
    expect(regional.length).toBeGreaterThan(0);
    for (const g of regional)
      expect(g.inputs.parameters).not.toContainEqual(
        expect.objectContaining({ name: "rds.global_db_rpo" }),
      );
    expect(
      cluster("activeActive", "recovery").inputs.enableGlobalWriteForwarding,
    ).toBe(true);
    expect(
      cluster("warmStandby", "recovery").inputs.enableGlobalWriteForwarding,
    ).toBeUndefined();
  });

  it("sizes the secondary by tier: headless at pilot light, one smallest global-capable reader at warm standby, the primary's at active-active", () => {
    const primary = [
      ["primary-db-1", "db.r7g.large"],
      ["primary-db-2", "db.r7g.large"],
    ];
    expect(instancesOf("pilotLight", "primary")).toEqual(primary);
    expect(instancesOf("pilotLight", "recovery")).toEqual([]);
    expect(instancesOf("warmStandby", "recovery")).toEqual([
      ["recovery-db-1", "db.r6g.large"],
    ]);
    expect(instancesOf("activeActive", "recovery")).toEqual([
      ["recovery-db-1", "db.r7g.large"],
      ["recovery-db-2", "db.r7g.large"],
    ]);
  });

  it("the standby secondary goes without final snapshot or guards; the serving one is guarded", () => {
    expect(cluster("pilotLight", "recovery")).toMatchObject({
      protect: false,
      inputs: { deletionProtection: false, skipFinalSnapshot: true },
    });
    expect(cluster("pilotLightFailover", "recovery")).toMatchObject({
      protect: true,
      inputs: { deletionProtection: true, skipFinalSnapshot: false },
    });
  });
});

describe("failover by config agrees with the failover AWS made", () => {
  const primaryRegion = (r: Recording) =>
    r.resources.filter((x) => x.custom && x.region === "us-east-1");
  const byUrn = (rs: RecordedResource[]) =>
    new Map(rs.map((r) => [r.urn, r.inputs]));

  it.each([
    ["activeActive", "activeActiveFailover"],
    ["pilotLight", "pilotLightFailover"],
  ] as const)(
    "%s -> failover changes no primary-region database resource",
    (normal, failover) => {
      const before = byUrn(primaryRegion(plan(normal)));
      const after = byUrn(primaryRegion(plan(failover)));
      for (const [urn, inputs] of before)
        if (/rds|kms|globalCluster/.test(urn))
          expect([urn, after.get(urn)]).toEqual([urn, inputs]);
    },
  );

  it("asks the recovery region, before building anything, that AWS made the recovery cluster the writer", () => {
    const asked = plan("pilotLightFailover").calls.filter(
      (c) => c.token === "aws:rds/getGlobalCluster:getGlobalCluster",
    );
    expect(asked).toEqual([
      expect.objectContaining({
        region: "us-west-2",
        inputs: expect.objectContaining({
          identifier: "aws-dr-test-global-db",
        }),
      }),
    ]);
    // In normal operation it asks nothing (a first deployment has no global database yet).
    expect(plan("pilotLight").calls.map((c) => c.token)).not.toContain(
      "aws:rds/getGlobalCluster:getGlobalCluster",
    );
    const primaryWrites = [
      {
        dbClusterArn: "arn:aws:rds:us-east-1:123456789012:cluster:p",
        isWriter: true,
      },
      {
        dbClusterArn: "arn:aws:rds:us-west-2:123456789012:cluster:r",
        isWriter: false,
      },
    ];
    expect(auroraWriterProblem(true, "us-west-2", "g", primaryWrites)).toMatch(
      /^dr:failover = true: the global database g writes in us-east-1, not us-west-2: run AWS's failover/,
    );
    expect(
      auroraWriterProblem(false, "us-east-1", "g", primaryWrites),
    ).toBeUndefined();
    expect(
      auroraWriterProblem(
        false,
        "us-east-1",
        "g",
        primaryWrites.map((m) => ({ ...m, isWriter: !m.isWriter })),
      ),
    ).toMatch(
      /^dr:failover = false: .* still writes in us-west-2.*switch over/,
    );
  });

  it("asks who writes exactly where a global database exists: the recovery region failing over and resizing, the primary leaving the failover, nothing otherwise", async () => {
    const GET = "aws:rds/getGlobalCluster:getGlobalCluster";
    const asked = async (
      overrides: RawStackConfig,
      deployedOutputs?: Record<string, unknown>,
    ) =>
      (await run(overrides, deployedOutputs)).recorder.calls
        .filter((c) => c.token === GET)
        .map((c) => c.region);
    const rds = { "dr:database": { engine: "postgres" } };
    for (const tier of [
      "pilot-light",
      "warm-standby",
      "active-active",
    ] as const) {
      const t = { "dr:tier": tier };
      const resize = {
        ...t,
        "dr:failover": true,
        "dr:failoverStep": "resize",
      };
      const { outputs: failedOver } = await run(resize);
      expect([
        tier,
        await asked(t),
        await asked({ ...t, "dr:failover": true }),
        await asked(resize),
        // The run after AWS switched back, from the deployed resize step.
        await asked(t, failedOver),
        await asked({ ...t, ...rds, "dr:failover": true }),
      ]).toEqual([tier, [], ["us-west-2"], ["us-west-2"], ["us-east-1"], []]);
    }
    // A regional cluster has no global database to ask (the invoke would fail the failover run).
    expect(await asked(STATES.backupRestoreFailover)).toEqual([]);
  });

  it("refuses, before registering any AWS resource, a run AWS's writer disagrees with: failing over while the primary writes, leaving while the recovery cluster still does", async () => {
    const GET = "aws:rds/getGlobalCluster:getGlobalCluster";
    const resize = {
      "dr:tier": "pilot-light",
      "dr:failover": true,
      "dr:failoverStep": "resize",
    };
    const { outputs: normal } = await run({ "dr:tier": "pilot-light" });
    const { outputs: failedOver } = await run(resize);
    const call = PlanRecorder.prototype.call;
    // The global database writes in the other region than the one asked.
    const spy = jest
      .spyOn(PlanRecorder.prototype, "call")
      .mockImplementation(function (this: PlanRecorder, args) {
        const answer = call.call(this, args);
        if (args.token !== GET) return answer;
        const [member] = answer.members as { dbClusterArn: string }[];
        const [, , , region] = member.dbClusterArn.split(":");
        const other = region === "us-east-1" ? "us-west-2" : "us-east-1";
        return {
          members: [
            {
              dbClusterArn: member.dbClusterArn.replace(region, other),
              isWriter: true,
            },
          ],
        };
      });
    const refusal = (
      overrides: RawStackConfig,
      deployedOutputs?: Record<string, unknown>,
    ) =>
      runProgram(
        program,
        "aws-dr",
        "test",
        { ...base, ...overrides },
        ["dr:databasePassword"],
        deployedOutputs,
      ).catch((e: unknown) => e);
    try {
      const failing = await refusal(
        { "dr:tier": "pilot-light", "dr:failover": true },
        normal,
      );
      const leaving = await refusal({ "dr:tier": "pilot-light" }, failedOver);
      for (const [error, message] of [
        [
          failing,
          /^dr:failover = true: the global database aws-dr-test-global-db writes in us-east-1, not us-west-2/,
        ],
        [
          leaving,
          /^dr:failover = false: the global database aws-dr-test-global-db still writes in us-west-2, not us-east-1/,
        ],
      ] as const) {
        expect(error).toBeInstanceOf(ProgramError);
        expect((error as ProgramError).message).toMatch(message);
        // Only the two regional providers it asks through: no AWS resource.
        expect(
          (error as ProgramError).recorder.resources.map((r) => r.type),
        ).toEqual(["pulumi:providers:aws", "pulumi:providers:aws"]);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it("the promote step keeps the secondary's inputs but its guards and role tag, and its instances (the stand-in serves a headless one)", () => {
    // Guards and the standby's role tag: calls to the recovery region only.
    const GUARDS = [
      "deletionProtection",
      "skipFinalSnapshot",
      "finalSnapshotIdentifier",
      "tags",
    ];
    const withoutGuards = (inputs: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(inputs).filter(([k]) => !GUARDS.includes(k)),
      );
    const normal = withoutGuards(cluster("pilotLight", "recovery").inputs);
    const failedOver = withoutGuards(
      cluster("pilotLightFailover", "recovery").inputs,
    );
    expect(failedOver).toEqual(normal);
    expect(instancesOf("pilotLightFailover", "recovery")).toEqual([]);
  });

  it("the resize step adds the primary's instances beside the standby's, replacing none", () => {
    expect(instancesOf("pilotLightResize", "recovery")).toEqual([
      ["recovery-db-1", "db.r7g.large"],
      ["recovery-db-2", "db.r7g.large"],
    ]);
    expect(instancesOf("warmStandbyResize", "recovery")).toEqual([
      ["recovery-db-1", "db.r6g.large"],
      ["recovery-db-2", "db.r7g.large"],
      ["recovery-db-3", "db.r7g.large"],
    ]);
  });

  it("the app's writer is the global writer endpoint in both regions, failed over or not; each reader its region's", () => {
    const global = /global-mock/;
    for (const state of ["activeActive", "activeActiveFailover"] as const) {
      expect(parameter(state, "primary-endpoints-writer")).toMatch(global);
      expect(parameter(state, "recovery-endpoints-writer")).toMatch(global);
      expect(parameter(state, "recovery-endpoints-reader")).toMatch(
        /recovery-db\.cluster-ro-mock\.us-west-2/,
      );
    }
    expect(parameter("activeActive", "primary-endpoints-reader")).toMatch(
      /primary-db\.cluster-ro-mock\.us-east-1/,
    );
  });

  it("watches the secondary's AuroraGlobalDBReplicationLag, and no RDS slot alarm", () => {
    const alarms = plan("warmStandby").ofType(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
    );
    const lag = alarms.find(
      (a) => a.inputs.metricName === "AuroraGlobalDBReplicationLag",
    );
    expect(lag).toMatchObject({
      region: "us-west-2",
      inputs: {
        dimensions: { DBClusterIdentifier: "aws-dr-test-recovery-db" },
      },
    });
    expect(alarms.map((a) => a.inputs.metricName)).not.toContain("ReplicaLag");
    expect(alarms.map((a) => a.inputs.metricName)).not.toContain(
      "OldestReplicationSlotLag",
    );
  });
});

describe("the Region switch plan on Aurora", () => {
  const steps = (state: State) =>
    JSON.stringify(
      plan(state).one("aws:arcregionswitch/plan:Plan").inputs.workflows,
    );

  it("fails the global database over with its Aurora step instead of promoting an RDS replica, and points no endpoint", () => {
    const s = steps("activeActive");
    const policy = JSON.parse(
      plan("activeActive").one(
        "aws:iam/rolePolicy:RolePolicy",
        "region-switch-execution",
      ).inputs.policy as string,
    ) as { Statement: { Sid: string; Resource: unknown }[] };
    const sids = policy.Statement.map((st) => st.Sid);
    expect(sids).toContain("FailOverTheGlobalDatabase");
    expect(sids).not.toContain("PointTheEndpoints");
    expect(sids).not.toContain("PromoteTheReplica");
    expect(s).toContain('"executionBlockType":"AuroraGlobalDatabase"');
    // A switchover when the plan runs gracefully (a drill): data loss only when ungraceful.
    expect(s).toContain('"behavior":"switchoverOnly"');
    expect(s).toContain('"ungracefuls":[{"ungraceful":"failover"}]');
    expect(s).not.toContain("RdsPromoteReadReplica");
    expect(s).not.toContain("point-endpoints");
    expect(s).not.toContain("add-stand-in-instance");
  });

  it("at a headless pilot light adds the stand-in instance beside the fleet's scaling, then fails over; allowed that instance only", () => {
    const [activate] = plan("pilotLight").one("aws:arcregionswitch/plan:Plan")
      .inputs.workflows as {
      steps: {
        name: string;
        parallelConfigs?: { steps: { name: string }[] }[];
      }[];
    }[];
    expect(
      activate.steps.map((s) =>
        s.parallelConfigs
          ? s.parallelConfigs[0].steps.map((p) => p.name)
          : s.name,
      ),
    ).toEqual([
      "approve",
      ["scale-recovery-fleet", "add-stand-in-instance"],
      "fail-over-global-database",
      "move-traffic",
    ]);
    const fn = plan("pilotLight").one(
      "aws:lambda/function:Function",
      "aurora-stand-in",
    );
    expect(fn.region).toBe("us-west-2");
    expect(fn.inputs.environment).toMatchObject({
      variables: {
        INSTANCE: "aws-dr-test-recovery-db-stand-in",
        INSTANCE_CLASS: "db.r7g.large",
      },
    });
    const policy = JSON.parse(
      plan("pilotLight").one("aws:iam/rolePolicy:RolePolicy", "aurora-stand-in")
        .inputs.policy as string,
    );
    expect(policy.Statement[0].Resource).toEqual([
      "arn:aws:rds:us-west-2:123456789012:db:aws-dr-test-recovery-db-stand-in",
      // The recovery cluster's ARN (the mock names it after the resource).
      "arn:aws:rds:us-west-2:123456789012:cluster:recovery-db",
    ]);
  });
});

describe("Aurora at backup-restore", () => {
  it("restores a regional cluster from the newest backup copy in the recovery region, joins no global database", () => {
    const restored = cluster("backupRestoreFailover", "recovery");
    expect(restored.inputs.snapshotIdentifier).toMatch(
      /^arn:aws:rds:us-west-2:.*:cluster-snapshot:/,
    );
    expect(restored.inputs.globalClusterIdentifier).toBeUndefined();
    expect(restored.ignoreChanges).toContain("snapshotIdentifier");
    expect(
      plan("backupRestoreFailover").ofType(
        "aws:rds/globalCluster:GlobalCluster",
      ),
    ).toEqual([]);
  });

  it("copies every recovery point to an air-gapped vault in its plan's own region: the primary's, and from a failover's first run the recovery region's, made ahead of need", () => {
    const copies = (state: State, planName: string) =>
      (
        plan(state).one("aws:backup/plan:Plan", planName).inputs.rules as {
          copyActions: { destinationVaultArn: string }[];
        }[]
      ).map((rule) => rule.copyActions.map((c) => c.destinationVaultArn));
    const vaults = plan("pilotLight")
      .ofType("aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault")
      .map((v) => [v.name, v.region, v.inputs.name, v.protect]);
    expect(vaults).toEqual([
      ["isolated-vault", "us-east-1", "aws-dr-test-isolated", true],
      [
        "recovery-isolated-vault",
        "us-west-2",
        "aws-dr-test-recovery-isolated",
        true,
      ],
    ]);
    for (const rule of copies("pilotLight", "backup"))
      expect(rule).toContain(
        "arn:aws:backup:us-east-1:123456789012:backup-vault:isolated-vault",
      );
    // Its restore test runs where it is.
    expect(
      plan("pilotLight").one(
        "aws:backup/restoreTestingPlan:RestoreTestingPlan",
        "isolated-restore-test",
      ).region,
    ).toBe("us-east-1");
    // From the failover's first run: the new writer keeps automated backups of its own.
    const recoveryRules = copies("pilotLightFailover", "recovery-backup");
    expect(recoveryRules.length).toBeGreaterThan(0);
    expect(
      plan("pilotLightFailover")
        .ofType("aws:backup/selection:Selection")
        .filter((sel) => sel.region === "us-west-2")
        .flatMap((sel) => sel.inputs.resources as string[]),
    ).toEqual(["arn:aws:rds:us-west-2:123456789012:cluster:recovery-db"]);
    for (const rule of recoveryRules)
      expect(rule).toContain(
        "arn:aws:backup:us-west-2:123456789012:backup-vault:recovery-isolated-vault",
      );
  });

  it("tags the new writer as promoting until the resize step gives it the primary's instances (the policy pack's Multi-AZ rule waits for it)", () => {
    const role = (state: State) =>
      (
        cluster(state, "recovery").inputs.tags as
          Record<string, string> | undefined
      )?.["aws-dr:role"];
    expect(role("pilotLight")).toBe("standby");
    expect(role("pilotLightFailover")).toBe("promoting");
    expect(role("pilotLightResize")).toBeUndefined();
    expect(role("activeActiveFailover")).toBeUndefined();
  });

  it("backs up the primary cluster by its ARN", () => {
    const resources = plan("backupRestoreFailover")
      .ofType("aws:backup/selection:Selection")
      .filter((s) => s.region === "us-east-1")
      .flatMap((s) => s.inputs.resources as string[]);
    expect(resources).toContain(
      "arn:aws:rds:us-east-1:123456789012:cluster:primary-db",
    );
  });
});

describe("Aurora config and moves", () => {
  const parse = (cfg: Record<string, unknown>) => () =>
    parseConfig(cfg, STACK_SCHEMA, { checkTargets: false });
  const minimal = Object.fromEntries(
    Object.entries(MINIMAL_CONFIG).map(([k, v]) => [k.slice(3), v]),
  );

  it("refuses a burstable class in a global database, naming the key, the value and what is allowed", () => {
    expect(
      parse({
        ...minimal,
        tier: "pilot-light",
        database: { engine: "aurora-postgresql" },
      }),
    ).toThrow(
      /dr:database\.instanceClass = "db\.t4g\.medium": an Aurora global database takes memory-optimized classes .*db\.r6g\.large/,
    );
    expect(
      parse({
        ...minimal,
        tier: "warm-standby",
        database: {
          engine: "aurora-postgresql",
          instanceClass: "db.r7g.large",
        },
        warmStandby: { replicaInstanceClass: "db.t4g.large" },
      }),
    ).toThrow(/dr:warmStandby\.replicaInstanceClass = "db\.t4g\.large"/);
  });

  it("refuses dr:database.globalRpoSeconds on RDS", () => {
    expect(
      parse({
        ...minimal,
        tier: "pilot-light",
        database: { globalRpoSeconds: 60 },
      }),
    ).toThrow(
      /dr:database\.globalRpoSeconds = 60: bounds an Aurora global database's lag/,
    );
  });

  const state = (over: Partial<DrState> = {}): DrState => ({
    ...drStateOf({
      tier: "pilot-light",
      failover: false,
      failoverStep: "promote",
      failback: "none",
      database: { generation: 1, engine: "aurora-postgresql" },
      primaryRegion: "us-east-1",
      recoveryRegion: "us-west-2",
    }),
    ...over,
  });

  it("refuses an engine change on a deployed stack, pointing at the migration", () => {
    const verdict = checkMove(
      { kind: "known", state: state({ engine: "postgres" }), sequence: 3 },
      state(),
      TIER_PROFILES,
    );
    expect(verdict).toMatchObject({
      allowed: false,
      problem: expect.stringMatching(
        /^dr:database\.engine = "aurora-postgresql": the deployed stack runs "postgres".*docs\/aurora\.md#migrating-from-rds/,
      ),
    });
  });

  it.each(["pilot-light", "warm-standby", "active-active"] as const)(
    "%s: every run of the Aurora runbook is allowed from the one before",
    (tier) => {
      let from = state({ tier });
      for (const step of TIER_PROFILES[tier].aurora.recoverySteps) {
        const next = { ...from, ...step.set };
        expect([
          step.section,
          checkMove(
            { kind: "known", state: from, sequence: 1 },
            next,
            TIER_PROFILES,
          ),
        ]).toEqual([step.section, { allowed: true }]);
        from = next;
      }
      expect(from).toEqual(state({ tier }));
    },
  );

  it("refuses a tier change between a regional cluster and a global database: a migration, not a move", () => {
    const verdict = checkMove(
      { kind: "known", state: state({ tier: "backup-restore" }), sequence: 1 },
      state({ tier: "pilot-light" }),
      TIER_PROFILES,
    );
    expect(verdict.allowed).toBe(false);
    expect(
      checkMove(
        { kind: "known", state: state({ tier: "pilot-light" }), sequence: 1 },
        state({ tier: "active-active" }),
        TIER_PROFILES,
      ),
    ).toEqual({ allowed: true });
  });

  it("fails back with one run after AWS switched back: no fence, reseed or new generation", () => {
    const failedOver = state({ failover: true, failoverStep: "resize" });
    // And no tier move while failed over (on RDS pilot light may become warm standby): the
    // other tier's standby shape would delete or shrink the writer instance.
    expect(nextStates(failedOver, TIER_PROFILES)).toEqual([
      state({ failover: false, failoverStep: "promote" }),
    ]);
    expect(
      parse({
        ...minimal,
        tier: "pilot-light",
        failover: true,
        failoverStep: "resize",
        failback: "fence",
        database: {
          engine: "aurora-postgresql",
          instanceClass: "db.r7g.large",
        },
      }),
    ).toThrow(
      /dr:failback = "fence": is no step of an Aurora global database's failback/,
    );
  });
});

describe("the recovery model on Aurora", () => {
  const cfg = (database: Record<string, unknown>, tier = "active-active") =>
    parseConfig(
      {
        ...Object.fromEntries(
          Object.entries(MINIMAL_CONFIG).map(([k, v]) => [k.slice(3), v]),
        ),
        tier,
        database,
      },
      STACK_SCHEMA,
      { checkTargets: false },
    );
  const inputs = (database: Record<string, unknown>, tier?: string) =>
    modelInputs(cfg(database, tier), TIER_PROFILES);
  const aurora = { engine: "aurora-postgresql", instanceClass: "db.r7g.large" };

  it("bounds the database's loss by rds.global_db_rpo where set, and says objects still decide at S3 RTC's 15 minutes", () => {
    const rpo = estimateRpo(
      TIER_PROFILES["active-active"],
      inputs({ ...aurora, globalRpoSeconds: 30 }),
    );
    expect(rpo.parts[0]).toMatchObject({
      name: "database: rds.global_db_rpo",
      minutes: 0.5,
    });
    expect(rpo.minutes).toBe(15);
    expect(rpo.decidedBy.name).toBe("S3 replication (RTC)");
    // Unset: the lag alarm's threshold and window, as on RDS.
    const unbounded = estimateRpo(
      TIER_PROFILES["active-active"],
      inputs(aurora),
    );
    expect(unbounded.parts.map((p) => p.name)).toEqual([
      "replica lag alarm threshold",
      "lag alarm window",
      "S3 replication (RTC)",
    ]);
  });

  it("puts AWS's managed failover on the way to writes, no pulumi up, and a stand-in instance first at a headless pilot light", () => {
    const activeActive = estimateRto(
      TIER_PROFILES["active-active"],
      inputs(aurora),
    );
    expect(activeActive.parts.map((p) => p.name)).not.toContain(
      "failover pulumi up",
    );
    expect(activeActive.parts).toContainEqual(
      expect.objectContaining({
        name: "database: managed failover",
        minutes: ASSUMED_MINUTES.auroraFailover,
      }),
    );
    // Detection (default checks) + the failover + DNS: the honest figure, above a 2-minute goal.
    expect(activeActive.minutes).toBe(
      activeActive.parts[0].minutes + ASSUMED_MINUTES.auroraFailover + 1,
    );
    const pilotLight = estimateRto(
      TIER_PROFILES["pilot-light"],
      inputs(aurora, "pilot-light"),
    );
    expect(pilotLight.parts[1]).toMatchObject({
      name: "database: stand-in instance + managed failover",
      minutes:
        ASSUMED_MINUTES.auroraAddInstance + ASSUMED_MINUTES.auroraFailover,
    });
    // RDS is unchanged: the promotion after a failover run.
    const rds = estimateRto(
      TIER_PROFILES["active-active"],
      inputs({ instanceClass: "db.r7g.large" }),
    );
    expect(rds.parts.map((p) => p.name)).toContain("failover pulumi up");
  });
});
