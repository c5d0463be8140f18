import type { Recording, RawStackConfig } from "@aws-dr/testing";
import { MINIMAL_CONFIG, runnerOf } from "../test-stack";

const run = async (overrides: RawStackConfig) =>
  (
    await runnerOf({
      ...MINIMAL_CONFIG,
      "dr:tier": "warm-standby",
      "dr:targets": { rtoMinutes: 60, rpoMinutes: 120 },
      "dr:backup": { schedule: "cron(0 * ? * * *)" },
    })(overrides)
  ).recorder;

// The failback's steps around the successor's promotion, and the step after it.
const STEPS: Record<string, RawStackConfig> = {
  reseed: {
    "dr:failover": true,
    "dr:failoverStep": "resize",
    "dr:failback": "reseed",
  },
  promote: { "dr:failback": "promote" },
  after: { "dr:database": { generation: 2 } },
};
const plans: Record<string, Recording> = {};
beforeAll(async () => {
  for (const [step, overrides] of Object.entries(STEPS))
    plans[step] = await run(overrides);
});

const SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
const selection = (step: string, name: string) => {
  const found = plans[step].ofType(SELECTION).find((r) => r.name === name);
  if (!found) throw new Error(`no selection ${name} at ${step}`);
  return found;
};
// The engine's mocks name a database's ARN after its logical name.
const databaseArn = (name: string) =>
  `arn:aws:rds:us-east-1:123456789012:db:${name}`;

describe("restore tests follow the database that serves", () => {
  it("test the successor once it is promoted, and keep testing it: a new selection, not the provider's update that never reaches AWS", () => {
    const arns = (step: string) =>
      selection(step, "restore-test-rds").inputs.protectedResourceArns;
    expect(arns("reseed")).toEqual([databaseArn("primary-db")]);
    expect(arns("promote")).toEqual([databaseArn("primary-db-2")]);
    expect(arns("after")).toEqual(arns("promote"));
    expect(arns("promote")).not.toEqual(arns("reseed"));
    // So the promote step replaces the selection (deleting first: its name is fixed).
    const promoted = selection("promote", "restore-test-rds");
    expect(promoted.replaceOnChanges).toEqual(["protectedResourceArns"]);
    expect(promoted.deleteBeforeReplace).toBe(true);
    expect(promoted.inputs.name).toBe(
      selection("reseed", "restore-test-rds").inputs.name,
    );
  });

  it("leave the bucket's and the recovery vault's selections as they are: what they protect does not change", () => {
    for (const name of [
      "restore-test-s3",
      "recovery-restore-test-rds",
      "recovery-restore-test-s3",
    ])
      for (const step of ["promote", "after"])
        expect(selection(step, name).inputs.protectedResourceArns).toEqual(
          selection("reseed", name).inputs.protectedResourceArns,
        );
  });
});

describe("the isolated copy and the audit, by config", () => {
  const ISOLATED = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";
  const PLAN = "aws:backup/plan:Plan";
  type Rule = {
    ruleName: string;
    copyActions: { destinationVaultArn: string }[];
  };
  let isolated: Recording;
  beforeAll(async () => {
    // A failover's resize step: the recovery-region plan exists too, and must copy as well.
    isolated = await run({
      "dr:failover": true,
      "dr:failoverStep": "resize",
      "dr:backup": {
        schedule: "cron(0 * ? * * *)",
        isolatedCopy: { retentionDays: 30, shareWithAccountId: "210987654321" },
        audit: { configRecorder: true },
      },
    });
  });

  it("copies every rule of every plan to the air-gapped vault in the recovery region, beside the cross-region copy", () => {
    const vault = isolated.one(ISOLATED);
    expect(vault.region).toBe("us-west-2");
    expect(vault.inputs).toMatchObject({
      minRetentionDays: 7,
      maxRetentionDays: 3650,
    });
    const arn =
      "arn:aws:backup:us-west-2:123456789012:backup-vault:isolated-vault";
    const plans = isolated.ofType(PLAN);
    expect(plans.map((p) => [p.name, p.region])).toEqual([
      ["backup", "us-east-1"],
      ["recovery-backup", "us-west-2"],
    ]);
    for (const plan of plans)
      for (const rule of plan.inputs.rules as Rule[])
        expect(rule.copyActions.map((c) => c.destinationVaultArn)).toEqual([
          expect.stringMatching(/:backup-vault:(recovery|primary)-vault$/),
          arn,
        ]);
  });

  it("shares the vault with the recovery account and restore-tests its snapshots in the recovery network", () => {
    expect(
      isolated.one("aws:ram/principalAssociation:PrincipalAssociation").inputs,
    ).toMatchObject({ principal: "210987654321" });
    const plan = isolated.one(
      "aws:backup/restoreTestingPlan:RestoreTestingPlan",
      "isolated-restore-test",
    );
    expect(plan.region).toBe("us-west-2");
    expect(plan.inputs.recoveryPointSelection).toMatchObject({
      includeVaults: [expect.stringContaining(":backup-vault:isolated-vault")],
      recoveryPointTypes: ["SNAPSHOT"],
    });
    expect(
      selectionIn(isolated, "isolated-restore-test-rds").inputs
        .restoreMetadataOverrides,
    ).toMatchObject({ dbSubnetGroupName: "recovery-db-subnets" });
  });

  it("audits the primary region's promises where the account records AWS Config, air-gapped copy included: the plans', then the database's and the data bucket's, a framework each", () => {
    const frameworks = isolated.ofType("aws:backup/framework:Framework");
    expect(frameworks.map((f) => [f.name, f.region]).sort()).toEqual([
      ["backup-audit", "us-east-1"],
      ["backup-audit-data", "us-east-1"],
      ["backup-audit-database", "us-east-1"],
    ]);
    for (const resource of ["database", "data"]) {
      const controls = (
        isolated.one(
          "aws:backup/framework:Framework",
          `backup-audit-${resource}`,
        ).inputs.controls as { name: string }[]
      ).map((c) => c.name);
      expect(controls).toContain("RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT");
      expect(controls).toContain("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION");
    }
    expect(isolated.ofType("aws:backup/reportPlan:ReportPlan")).toHaveLength(2);
  });

  it("adds nothing without the config, and turning it on changes the plans in place and touches no vault", () => {
    const without = plans.reseed;
    expect(without.ofType(ISOLATED)).toEqual([]);
    expect(without.ofType("aws:backup/framework:Framework")).toEqual([]);
    expect(without.ofType("aws:ram/resourceShare:ResourceShare")).toEqual([]);
    // Same URNs for the plans and the vaults: only the rules' copy actions differ.
    const urns = (rec: Recording, type: string) =>
      rec.ofType(type).map((r) => r.urn);
    for (const type of [PLAN, "aws:backup/vault:Vault"])
      expect(urns(isolated, type)).toEqual(urns(without, type));
    const rules = (rec: Recording) =>
      rec
        .ofType(PLAN)
        .flatMap((plan) => plan.inputs.rules as Rule[])
        .map(({ copyActions: _copies, ...rule }) => rule);
    expect(rules(isolated)).toEqual(rules(without));
  });
});

const selectionIn = (rec: Recording, name: string) => {
  const found = rec.ofType(SELECTION).find((r) => r.name === name);
  if (!found) throw new Error(`no selection ${name}`);
  return found;
};
