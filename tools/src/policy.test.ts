import program = require("@aws-dr/stacks");
import { POLICIES } from "@aws-dr/policy";
import { ConfigError } from "@aws-dr/model";
import { ProgramError } from "@aws-dr/testing";
import { evaluate, type Plan, type PlannedResource } from "./evaluate";
import { checkPolicies } from "./policy-check";
import { runPolicyCli } from "./policy";

const ENVIRONMENTS = ["dev", "staging", "prod"];
const TIERS = ["backup-restore", "pilot-light", "warm-standby"];

/** The plan, or undefined where validation refuses the state (e.g. a tier that misses the targets). */
async function planIfAdmitted(stack: string, overrides: string[]) {
  try {
    return await evaluate(program, stack, overrides);
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
          const plan = await planIfAdmitted(stack, [
            `dr:tier=${tier}`,
            `dr:failover=${failover}`,
          ]);
          if (tier !== "backup-restore")
            expect(plan).toMatchObject({ tier, failover });
          if (!plan) continue;
          checked++;
          expect({
            tier,
            failover,
            violations: await checkPolicies(plan),
          }).toEqual({
            tier,
            failover,
            violations: [],
          });
        }
      expect(checked).toBeGreaterThanOrEqual(4);
    },
  );

  it.each([
    ["reseed", ["dr:failover=true", "dr:failback=reseed"]],
    ["promote", ["dr:failback=promote"]],
  ])("passes prod during the failback's %s step", async (_step, overrides) => {
    expect(
      await checkPolicies(await evaluate(program, "prod", overrides)),
    ).toEqual([]);
  });
});

describe("each policy fires on a deliberately bad resource", () => {
  let clean: Plan;
  beforeAll(async () => {
    clean = await evaluate(program, "prod", ["dr:failover=false"]);
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
  ];

  it("has a case for every policy, and the clean plan violates none", async () => {
    expect(cases.map(([name]) => name).sort()).toEqual(
      POLICIES.map((p) => p.name).sort(),
    );
    expect(await checkPolicies(clean)).toEqual([]);
  });

  it.each(cases)("%s", async (name, spoil) => {
    const plan = structuredClone(clean);
    spoil(plan);
    const violations = await checkPolicies(plan);
    expect(violations.map((v) => v.policy)).toContain(name);
  });
});

describe("a real preview's unknown values", () => {
  it("skip only the resource that holds them: the rest of the stack is still checked", async () => {
    const plan = await evaluate(program, "dev");
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
    const violations = await checkPolicies(plan);
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
    const unguarded = await runPolicyCli(
      ["--stack", "prod", "--config", "dr:protectData=false"],
      program,
    );
    expect(unguarded.code).toBe(1);
    expect(unguarded.stdout).toMatch(
      /\[mandatory\] rds-prod-guarded: serving prod database primary-db .*\n\s+urn:pulumi:prod::aws-dr::.*::primary-db/,
    );
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
});

type Rule = { applyServerSideEncryptionByDefault: { sseAlgorithm: string } };

function remove(plan: Plan, name: string, type?: string): void {
  const index = plan.resources.findIndex(
    (r: PlannedResource) =>
      r.name === name && (type ? r.type === type : r.type.startsWith("aws:")),
  );
  if (index < 0) throw new Error(`no resource ${name}`);
  plan.resources.splice(index, 1);
}
