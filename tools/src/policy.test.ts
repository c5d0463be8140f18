import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeResponse,
  AnalyzeStackRequest,
  AnalyzerInfo,
  AnalyzerPropertyDependencies,
  AnalyzerProviderResource,
  AnalyzerResource,
  AnalyzerResourceOptions,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { unknownValue as UNKNOWN } from "@pulumi/pulumi/runtime/rpc";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import program = require("@aws-dr/stacks");
import { policiesFor, stackFacts } from "@aws-dr/policy";
import { ConfigError } from "@aws-dr/model";
import { ProgramError } from "@aws-dr/testing";
import type { Plan, PlannedResource } from "./evaluate";
import { checkPolicies, type EvaluatedStack } from "./policy-check";
import type { RawStackConfig } from "@aws-dr/offline-plan";
import { POLICY_USAGE, runPolicyCli } from "./policy";
import { REPO_ROOT } from "./stack-config";
// Each state's plan and config evaluated once per test run (npm run policy evaluates for real).
import { evaluateStack } from "./testing/cached-evaluate";
import { PROD_ON_RDS } from "./testing/prod-on-rds";

const ENVIRONMENTS = ["dev", "staging", "prod"];
const TIERS = ["backup-restore", "pilot-light", "warm-standby"];

/** The plan, or undefined where validation refuses the state (e.g. a tier that misses the targets). */
async function planIfAdmitted(
  stack: string,
  overrides: string[],
): Promise<EvaluatedStack | undefined> {
  try {
    return await evaluateStack(program, stack, overrides);
  } catch (err) {
    if (err instanceof ProgramError && err.cause instanceof ConfigError)
      return undefined;
    throw err;
  }
}

describe("every shipped environment at every tier", () => {
  it.each(ENVIRONMENTS)(
    "%s plans at both standby tiers from dr:tier alone, and passes the policy pack in every state validation admits",
    async (stack) => {
      let checked = 0;
      for (const tier of TIERS)
        for (const failover of [false, true]) {
          const evaluated = await planIfAdmitted(stack, [
            `dr:tier=${tier}`,
            `dr:failover=${failover}`,
          ]);
          if (tier !== "backup-restore")
            expect(evaluated?.plan).toMatchObject({ tier, failover });
          if (!evaluated) continue;
          checked++;
          expect({
            tier,
            failover,
            violations: await checkPolicies(evaluated.plan, evaluated.config),
          }).toEqual({
            tier,
            failover,
            violations: [],
          });
        }
      expect(checked).toBeGreaterThanOrEqual(4);
    },
  );

  it("passes prod during the failover's resize step (its promote step is dr:failover=true above)", async () => {
    const { plan, config } = await evaluateStack(program, "prod", [
      "dr:failover=true",
      "dr:failoverStep=resize",
    ]);
    expect(await checkPolicies(plan, config)).toEqual([]);
  });

  it("passes prod's promote step on RDS as a real engine hands it the database (its ignored keys at the replica's values), but not without protect", async () => {
    const { plan, config } = await evaluateStack(program, "prod", [
      PROD_ON_RDS,
      "dr:failover=true",
    ]);
    const promoted = plan.resources.find(
      (r) => r.type === "aws:rds/instance:Instance" && r.name === "recovery-db",
    );
    if (!promoted) throw new Error("no recovery-db");
    // ignoreChanges: the engine analyzes the replica's deletion protection and Multi-AZ.
    Object.assign(promoted.inputs, {
      deletionProtection: false,
      multiAz: false,
    });
    expect(await checkPolicies(plan, config)).toEqual([]);
    promoted.protect = false;
    expect((await checkPolicies(plan, config)).map((v) => v.policy)).toEqual([
      "rds-prod-guarded",
    ]);
  });

  it.each([
    [
      "reseed",
      ["dr:failover=true", "dr:failoverStep=resize", "dr:failback=reseed"],
    ],
    ["promote", ["dr:failback=promote"]],
  ])(
    "passes prod on RDS during the failback's %s step",
    async (_step, overrides) => {
      const { plan, config } = await evaluateStack(program, "prod", [
        PROD_ON_RDS,
        ...overrides,
      ]);
      expect(await checkPolicies(plan, config)).toEqual([]);
    },
  );
});

describe("each policy fires on a deliberately bad resource", () => {
  let clean: Plan;
  let config: EvaluatedStack["config"];
  /** Prod as shipped, on Aurora, for the cluster policies; the others spoil prod on RDS. */
  let aurora: EvaluatedStack;
  beforeAll(async () => {
    ({ plan: clean, config } = await evaluateStack(program, "prod", [
      PROD_ON_RDS,
      "dr:failover=false",
    ]));
    aurora = await evaluateStack(program, "prod", ["dr:failover=false"]);
  });
  const named = (plan: Plan, name: string, type?: string) => {
    const found = plan.resources.find(
      (r) =>
        r.name === name && (type ? r.type === type : r.type.startsWith("aws:")),
    );
    if (!found) throw new Error(`no resource ${name}`);
    return found;
  };
  const cases: [string, (plan: Plan) => void][] = [
    ["s3-versioned", (p) => remove(p, "primary-data-versioning")],
    ["backup-plan-present", (p) => remove(p, "backup", "aws:backup/plan:Plan")],
    [
      "s3-encrypted",
      (p) =>
        ((
          named(p, "primary-data-sse").inputs.rules as Rule[]
        )[0].applyServerSideEncryptionByDefault.sseAlgorithm = "AES256"),
    ],
    [
      "s3-public-access-blocked",
      (p) =>
        (named(p, "primary-data-public-access").inputs.blockPublicPolicy =
          false),
    ],
    [
      "s3-tls-only",
      (p) =>
        (named(p, "primary-data-tls-only").inputs.policy = { Statement: [] }),
    ],
    ["s3-access-logging", (p) => remove(p, "primary-data-access-logs")],
    [
      "s3-replication-rtc",
      (p) =>
        ((
          named(p, "data-replication").inputs.rules as {
            destination: { replicationTime: { status: string } };
          }[]
        )[0].destination.replicationTime.status = "Disabled"),
    ],
    [
      "rds-encrypted-private",
      (p) => (named(p, "primary-db").inputs.publiclyAccessible = true),
    ],
    [
      "rds-serving-backups",
      (p) => (named(p, "primary-db").inputs.backupRetentionPeriod = 0),
    ],
    [
      "rds-prod-guarded",
      (p) => (named(p, "primary-db").inputs.deletionProtection = false),
    ],
    [
      "rds-prod-multi-az",
      (p) => (named(p, "primary-db").inputs.multiAz = false),
    ],
    [
      "rds-backup-selection",
      (p) => (named(p, "backup-selection").propertyDependencies.resources = []),
    ],
    [
      "backup-vault-kms",
      (p) => {
        const v = named(p, "primary-vault");
        delete v.inputs.kmsKeyArn;
        v.propertyDependencies = {};
      },
    ],
    ["backup-vault-locked-in-prod", (p) => remove(p, "primary-vault-lock")],
    [
      "backup-cross-region-copy",
      (p) =>
        ((
          named(p, "backup", "aws:backup/plan:Plan").inputs.rules as {
            copyActions: unknown[];
          }[]
        )[0].copyActions = []),
    ],
    [
      // The continuous rule alone loses its copy to the air-gapped vault: checked rule by rule.
      "backup-isolated-copy-in-prod",
      (p) =>
        (
          named(p, "backup", "aws:backup/plan:Plan").inputs.rules as {
            ruleName: string;
            copyActions: unknown[];
          }[]
        )
          .find((rule) => rule.ruleName === "continuous")
          ?.copyActions.splice(1),
    ],
    [
      "launch-template-hardened",
      (p) =>
        ((
          named(p, "primary-lt").inputs.metadataOptions as {
            httpTokens: string;
          }
        ).httpTokens = "optional"),
    ],
    [
      "no-open-ingress",
      (p) =>
        Object.assign(named(p, "primary-alb-in-80").inputs, {
          fromPort: 22,
          toPort: 22,
        }),
    ],
    [
      "alb-access-logs",
      (p) =>
        ((
          named(p, "primary-alb").inputs.accessLogs as { enabled: boolean }
        ).enabled = false),
    ],
    [
      "alb-prod-deletion-protection",
      (p) => (named(p, "primary-alb").inputs.enableDeletionProtection = false),
    ],
    [
      "alb-https-redirect",
      (p) =>
        (named(p, "primary-http").inputs.defaultActions = [
          { type: "forward" },
        ]),
    ],
    [
      "kms-key-rotation",
      (p) => (named(p, "primary-db-key").inputs.enableKeyRotation = false),
    ],
    [
      "iam-no-star",
      (p) =>
        (named(p, "data-replication-policy").inputs.policy = {
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
    ],
    [
      "dr-tags",
      (p) =>
        (named(p, "primary", "pulumi:providers:aws").inputs.defaultTags =
          JSON.stringify({
            tags: { environment: "prod" },
          })),
    ],
    [
      "dns-health-checked",
      (p) => {
        const r = named(p, "app-primary");
        delete r.inputs.healthCheckId;
        r.propertyDependencies = {};
      },
    ],
    [
      "both-regions",
      (p) =>
        (named(p, "recovery", "pulumi:providers:aws").inputs.region =
          "us-east-1"),
    ],
    [
      "no-placeholders",
      (p) => (named(p, "app-primary").inputs.zoneId = "Z0REPLACEME0001"),
    ],
    [
      "aurora-encrypted-private",
      (p) =>
        (named(
          p,
          "recovery-db-1",
          "aws:rds/clusterInstance:ClusterInstance",
        ).inputs.publiclyAccessible = true),
    ],
    [
      "aurora-prod-multi-az",
      (p) => {
        p.resources = p.resources.filter(
          (r) =>
            !(
              r.type === "aws:rds/clusterInstance:ClusterInstance" &&
              r.name === "primary-db-2"
            ),
        );
      },
    ],
    [
      "aurora-backup-selection",
      (p) => {
        p.resources = p.resources.filter(
          (r) => r.type !== "aws:backup/selection:Selection",
        );
      },
    ],
    [
      "aurora-prod-guarded",
      (p) =>
        (named(
          p,
          "primary-db",
          "aws:rds/cluster:Cluster",
        ).inputs.deletionProtection = false),
    ],
  ];
  const onAurora = (name: string) => name.startsWith("aurora-");

  it("has a case for every policy, and the clean plan violates none", async () => {
    expect(stackFacts(config).production).toBe(true);
    expect(cases.map(([name]) => name).sort()).toEqual(
      policiesFor(stackFacts(config))
        .map((p) => p.name)
        .sort(),
    );
    expect(await checkPolicies(clean, config)).toEqual([]);
    expect(await checkPolicies(aurora.plan, aurora.config)).toEqual([]);
  });

  it.each(cases)("%s", async (name, spoil) => {
    const base = onAurora(name) ? aurora : { plan: clean, config };
    const plan = structuredClone(base.plan);
    spoil(plan);
    const violations = await checkPolicies(plan, base.config);
    expect(violations.map((v) => v.policy)).toContain(name);
  });

  it("backup-isolated-copy-in-prod: a plan protecting Aurora copies to an air-gapped vault of its own region", async () => {
    const plan = structuredClone(aurora.plan);
    // The mocks name a vault's ARN by its region and logical name.
    const vaultArn = (name: string) =>
      `arn:aws:backup:${named(plan, name, "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault").region}:123456789012:backup-vault:${name}`;
    const own = vaultArn("isolated-vault");
    const other = vaultArn("recovery-isolated-vault");
    expect(other.split(":")[3]).toBe("us-west-2");
    expect(await checkPolicies(plan, aurora.config)).toEqual([]);
    for (const rule of named(plan, "backup", "aws:backup/plan:Plan").inputs
      .rules as { copyActions: { destinationVaultArn: string }[] }[])
      for (const copy of rule.copyActions)
        if (copy.destinationVaultArn === own) copy.destinationVaultArn = other;
    expect(
      (await checkPolicies(plan, aurora.config)).map((v) => v.message),
    ).toContainEqual(
      expect.stringContaining(
        "of backup protects an Aurora cluster but copies to an air-gapped vault in another region",
      ),
    );
  });
});

describe("a real preview's unknown values", () => {
  it("skip only the resource that holds them: the rest of the stack is still checked", async () => {
    const { plan, config } = await evaluateStack(program, "dev");
    const named = (name: string) =>
      plan.resources.find(
        (r) => r.name === name && r.type.startsWith("aws:"),
      ) as PlannedResource;
    // A first preview does not know the bucket ARN inside the data bucket's policy.
    named("primary-data-tls-only").inputs.policy = "[unknown]";
    plan.resources.splice(
      plan.resources.indexOf(named("backup-versioning")),
      1,
    );
    const violations = await checkPolicies(plan, config);
    expect(violations.map((v) => [v.policy, v.urn?.split("::").pop()])).toEqual(
      [["s3-versioned", "backup"]],
    );
  });
});

describe("npm run policy", () => {
  it("exits 0 on a clean stack, 1 listing policy, resource and message on a violation, 2 on bad config", async () => {
    expect(await runPolicyCli(["--stack", "dev"], program)).toMatchObject({
      code: 0,
    });
    // dr:protectData on makes dev production: the pack demands guards dev's config does not give.
    const guarded = await runPolicyCli(
      ["--stack", "dev", "--config", "dr:protectData=true"],
      program,
    );
    expect(guarded.code).toBe(1);
    expect(guarded.stdout).toMatch(
      /\[mandatory\] rds-prod-multi-az: serving production database primary-db is single-AZ \(dr:protectData is on\)\n\s+urn:pulumi:dev::aws-dr::.*::primary-db/,
    );
    // Off, prod is not production: the program leaves the guards off and the pack agrees.
    expect(
      await runPolicyCli(
        ["--stack", "prod", "--config", "dr:protectData=false"],
        program,
      ),
    ).toMatchObject({ code: 0, stdout: "stack prod: no policy violated" });
    expect(
      await runPolicyCli(
        ["--stack", "dev", "--config", "dr:tier=gold"],
        program,
      ),
    ).toMatchObject({
      code: 2,
      stdout: "",
    });
  });

  it.each([[["--help"]], [["-h"]], [["-s", "nope", "-h"]]])(
    "prints its usage on stdout and exits 0, checking nothing: %j",
    async (argv) => {
      expect(await runPolicyCli(argv, program, evaluateStack)).toEqual({
        code: 0,
        stdout: POLICY_USAGE,
        stderr: "",
      });
      expect(POLICY_USAGE).toMatch(/-s, --stack <env>/);
    },
  );

  it("takes -s for --stack, and names an unknown option before its usage (exit 2)", async () => {
    expect(await runPolicyCli(["-s", "dev"], program, evaluateStack)).toEqual({
      code: 0,
      stdout: "stack dev: no policy violated",
      stderr: "",
    });
    // policy prints no JSON, so it has no --out either.
    for (const option of ["--stakc", "--out", "-x"])
      expect(
        await runPolicyCli(["-s", "dev", option, "x"], program, evaluateStack),
      ).toEqual({
        code: 2,
        stdout: "",
        stderr: `unknown option ${option}\n${POLICY_USAGE}`,
      });
  });
});

/** The policies that apply only where the stack is production (on RDS, as dev runs). */
const PRODUCTION_ONLY = [
  "alb-prod-deletion-protection",
  "backup-vault-locked-in-prod",
  "rds-prod-guarded",
  "rds-prod-multi-az",
];
/** The same on Aurora, as prod runs: the cluster's guard instead of the instance's two. */
const PRODUCTION_ONLY_ON_AURORA = [
  "alb-prod-deletion-protection",
  "backup-vault-locked-in-prod",
  "aurora-prod-guarded",
];
const productionOnly = (stack: string) =>
  stack === "prod" ? PRODUCTION_ONLY_ON_AURORA : PRODUCTION_ONLY;

/** Takes every production guard off a plan: what the production-only policies look for. */
function unguard(plan: Plan): Plan {
  const spoiled = structuredClone(plan);
  spoiled.resources = spoiled.resources.filter(
    (r) =>
      r.type !== "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  );
  for (const r of spoiled.resources) {
    if (r.type === "aws:rds/instance:Instance") {
      Object.assign(r.inputs, { deletionProtection: false, multiAz: false });
      r.protect = false;
    }
    if (r.type === "aws:rds/cluster:Cluster") {
      r.inputs.deletionProtection = false;
      r.protect = false;
    }
    if (r.type === "aws:lb/loadBalancer:LoadBalancer")
      r.inputs.enableDeletionProtection = false;
  }
  return spoiled;
}

/**
 * Only what the production-only policies find on the plan (as the offline runner finds it, the stack
 * taken for production) and the providers: all a pack is sent to show whether it takes the stack
 * for production, a twentieth of dev's resources, each costing the pack's analysis.
 */
async function productionTargets(
  plan: Plan,
  config: RawStackConfig,
): Promise<Plan> {
  const found = await checkPolicies(plan, {
    ...config,
    "dr:protectData": "true",
  });
  const urns = new Set(
    found
      .filter((v) => PRODUCTION_POLICIES.includes(v.policy))
      .map((v) => v.urn),
  );
  return {
    ...plan,
    resources: plan.resources.filter(
      (r) => urns.has(r.urn) || r.type.startsWith("pulumi:providers:"),
    ),
  };
}

/** Every policy that fires only in production, on RDS or on Aurora. */
const PRODUCTION_POLICIES = [
  ...new Set([...PRODUCTION_ONLY, ...PRODUCTION_ONLY_ON_AURORA]),
];
const productionFindings = (policies: string[]) =>
  PRODUCTION_POLICIES.filter((p) => policies.includes(p));

describe("production is the stack's dr:protectData, whatever the stack's name", () => {
  it("is read from the config as Pulumi holds it, and assumed where no config reached the pack", () => {
    expect(stackFacts({ "dr:protectData": "true" }).production).toBe(true);
    expect(stackFacts({ "dr:protectData": true }).production).toBe(true);
    expect(stackFacts({ "dr:protectData": "false" }).production).toBe(false);
    // Unset, as in the program: off.
    expect(stackFacts({ "dr:tier": "pilot-light" }).production).toBe(false);
    expect(stackFacts({})).toEqual({
      production: true,
      because: expect.stringContaining("no stack config"),
    });
  });

  it.each([
    ["dev", true],
    ["dev", false],
    ["prod", true],
    ["prod", false],
  ])(
    "%s with dr:protectData=%s: the production policies fire on an unguarded plan only where it is on",
    async (stack, on) => {
      const { plan, config } = await evaluateStack(program, stack, [
        `dr:protectData=${on}`,
      ]);
      expect(stackFacts(config)).toEqual({
        production: on,
        because: `dr:protectData is ${on ? "on" : "off"}`,
      });
      const violations = await checkPolicies(unguard(plan), config);
      expect(
        productionFindings(violations.map((v) => v.policy)).sort(),
      ).toEqual(on ? productionOnly(stack).sort() : []);
      if (on)
        expect(
          violations.find((v) => v.policy.endsWith("-prod-guarded"))?.message,
        ).toMatch(/\(dr:protectData is on\)$/);
    },
  );

  it("follows the stack file where no --config overrides it", async () => {
    for (const [stack, production] of [
      ["dev", false],
      ["staging", false],
      ["prod", true],
    ] as const) {
      const { plan, config } = await evaluateStack(program, stack);
      const violations = await checkPolicies(unguard(plan), config);
      expect([
        stack,
        productionFindings(violations.map((v) => v.policy)).sort(),
      ]).toEqual([stack, production ? productionOnly(stack).sort() : []]);
    }
  });
});

describe("the built pack, as the Pulumi CLI runs it", () => {
  // The CLI starts its Node.js policy runner, @pulumi/pulumi/cmd/run-policy-pack resolved from the
  // pack's directory, in that directory with the program "." and the stack's config in
  // PULUMI_CONFIG (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go), reads the gRPC port from
  // its stdout, and calls the Analyzer service. This does the same, as the engine.
  const POLICY_DIR = path.join(REPO_ROOT, "policy");
  const packs: ChildProcess[] = [];
  let dev: EvaluatedStack;

  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, "tools", "build.mjs")],
      { cwd: REPO_ROOT },
    );
    dev = await evaluateStack(program, "dev");
  }, 120_000);
  afterAll(() => {
    for (const pack of packs) pack.kill();
  });

  /** Starts the pack with this PULUMI_CONFIG (none when undefined); resolves to a client. */
  async function startPack(
    config: Record<string, unknown> | undefined,
  ): Promise<AnalyzerClient> {
    const env = { ...process.env };
    delete env.PULUMI_CONFIG;
    if (config) env.PULUMI_CONFIG = JSON.stringify(config);
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", {
      paths: [POLICY_DIR],
    });
    const pack = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
      cwd: POLICY_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    packs.push(pack);
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      pack.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = /^(\d+)\n/.exec(out);
        if (line) resolve(line[1]);
      });
      pack.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      pack.on("exit", (code) =>
        reject(new Error(`the pack exited (${code}) before serving:\n${err}`)),
      );
    });
    return new AnalyzerClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
  }

  /** What the pack finds on a plan, policy by policy, asked as the engine asks after an update. */
  async function analyzeStack(
    client: AnalyzerClient,
    plan: Plan,
  ): Promise<{ policy: string; message: string }[]> {
    const request = new AnalyzeStackRequest().setResourcesList(
      analyzerResources(plan),
    );
    const response = await new Promise<AnalyzeResponse>((resolve, reject) =>
      client.analyzeStack(request, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
    return response.getDiagnosticsList().map((d) => ({
      policy: d.getPolicyname(),
      message: d.getMessage(),
    }));
  }

  it("serves every policy, and finds what the offline runner finds on the same plan and config", async () => {
    const client = await startPack(dev.config);
    const info = await new Promise<AnalyzerInfo>((resolve, reject) =>
      client.getAnalyzerInfo(new Empty(), (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
    expect(info.getName()).toBe("aws-dr");
    expect(
      info
        .getPoliciesList()
        .map((p) => p.getName())
        .sort(),
    ).toEqual(
      policiesFor(stackFacts(dev.config))
        .map((p) => p.name)
        .sort(),
    );
    const unguarded = unguard(dev.plan);
    expect((await analyzeStack(client, dev.plan)).map((d) => d.policy)).toEqual(
      [],
    );
    const found = (await analyzeStack(client, unguarded)).map((d) => d.policy);
    expect(found.sort()).toEqual(
      (await checkPolicies(unguarded, dev.config)).map((v) => v.policy).sort(),
    );
    // Dev's config says dr:protectData false: not production, whatever the plan lacks; nor on the
    // plan the tests below send with a production config (the plan alone decides nothing).
    expect(dev.config["dr:protectData"] ?? "false").toBe("false");
    expect(productionFindings(found)).toEqual([]);
    const targets = await productionTargets(unguarded, dev.config);
    expect(
      productionFindings(
        (await analyzeStack(client, targets)).map((d) => d.policy),
      ),
    ).toEqual([]);
  }, 60_000);

  it.each([
    // dr:protectData false: the test above, on dev's own config (and on the plan these are sent).
    ["dr:protectData true", { "dr:protectData": "true" }, PRODUCTION_ONLY],
    ["no config at all (fails safe)", undefined, PRODUCTION_ONLY],
  ])(
    "learns production from the engine's config: %s",
    async (_case, protectData, expected) => {
      const client = await startPack(
        protectData && { ...dev.config, ...protectData },
      );
      const found = await analyzeStack(
        client,
        await productionTargets(unguard(dev.plan), dev.config),
      );
      expect(productionFindings(found.map((d) => d.policy))).toEqual(expected);
    },
    60_000,
  );
});

/** The plan's resources as the engine sends them to a policy pack (AnalyzeStack). */
function analyzerResources(plan: Plan): AnalyzerResource[] {
  // A value a preview does not know yet travels as the engine's unknown sentinel.
  const struct = (value: Record<string, unknown>) =>
    Struct.fromJavaScript(
      JSON.parse(
        JSON.stringify(value, (_key, v: unknown) =>
          v === "[unknown]" ? UNKNOWN : v,
        ),
      ),
    );
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  return plan.resources.map((r) => {
    const resource = new AnalyzerResource()
      .setUrn(r.urn)
      .setType(r.type)
      .setName(r.name)
      .setProperties(struct(r.inputs))
      .setOptions(new AnalyzerResourceOptions().setProtect(Boolean(r.protect)))
      .setParent(r.parent ?? "")
      .setDependenciesList([
        ...new Set(Object.values(r.propertyDependencies).flat()),
      ]);
    for (const [key, urns] of Object.entries(r.propertyDependencies))
      resource
        .getPropertydependenciesMap()
        .set(key, new AnalyzerPropertyDependencies().setUrnsList(urns));
    const provider = r.provider ? byUrn.get(r.provider) : undefined;
    if (provider)
      resource.setProvider(
        new AnalyzerProviderResource()
          .setUrn(provider.urn)
          .setType(provider.type)
          .setName(provider.name)
          .setProperties(struct(provider.inputs)),
      );
    return resource;
  });
}

type Rule = { applyServerSideEncryptionByDefault: { sseAlgorithm: string } };

function remove(plan: Plan, name: string, type?: string): void {
  const index = plan.resources.findIndex(
    (r: PlannedResource) =>
      r.name === name && (type ? r.type === type : r.type.startsWith("aws:")),
  );
  if (index < 0) throw new Error(`no resource ${name}`);
  plan.resources.splice(index, 1);
}
