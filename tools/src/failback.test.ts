// The standby failback as a reviewer sees it: each config step's `plan --diff`, walked from normal
// through failover and every failback step to normal again, on the shipped prod config on RDS, each step
// checked against the state the step before published (as a real run reads it). On RDS: Aurora's
// failback is AWS's switchover (stacks/aurora.test.ts).
import { diffPlans, type PlanDiff } from "./diff";
import type { Plan } from "./evaluate";
import { evaluate } from "./testing/cached-evaluate";
import { PROD_ON_RDS } from "./testing/prod-on-rds";
import program = require("@aws-dr/stacks");

const STEPS: [string, string[]][] = [
  ["normal", []],
  ["failover", ["dr:failover=true"]],
  ["resize", ["dr:failover=true", "dr:failoverStep=resize"]],
  [
    "fence",
    ["dr:failover=true", "dr:failoverStep=resize", "dr:failback=fence"],
  ],
  [
    "reseed",
    ["dr:failover=true", "dr:failoverStep=resize", "dr:failback=reseed"],
  ],
  [
    "freeze",
    ["dr:failover=true", "dr:failoverStep=resize", "dr:failback=freeze"],
  ],
  [
    "promote",
    ["dr:failover=false", "dr:failoverStep=promote", "dr:failback=promote"],
  ],
  ["normal again", ["dr:failback=none", "dr:database.generation=2"]],
];

const plans: Plan[] = [];
const diffs: PlanDiff[] = [];
beforeAll(async () => {
  for (const [, overrides] of STEPS)
    plans.push(
      await evaluate(
        program,
        "prod",
        [PROD_ON_RDS, ...overrides],
        undefined,
        plans.at(-1)?.outputs,
      ),
    );
  for (let i = 1; i < plans.length; i++)
    diffs.push(diffPlans(plans[i - 1], plans[i]));
});

const instances = (plan: Plan) =>
  plan.resources.filter((r) => r.type === "aws:rds/instance:Instance");
const db = (plan: Plan, name: string) => {
  const found = instances(plan).find((r) => r.name === name);
  if (!found) throw new Error(`no database ${name}`);
  return found;
};
/** Whether a database's parameter group makes it take no writes. */
const readOnly = (plan: Plan, name: string) =>
  (
    plan.resources.find(
      (r) =>
        r.type === "aws:rds/parameterGroup:ParameterGroup" &&
        r.name === `${name}-params`,
    )?.inputs.parameters as { name: string; value: string }[]
  ).some((p) => p.name === "default_transaction_read_only" && p.value === "1");
const walBound = (plan: Plan, name: string) =>
  (
    plan.resources.find((r) => r.name === `${name}-params`)?.inputs
      .parameters as { name: string; value: string }[]
  ).find((p) => p.name === "max_slot_wal_keep_size")?.value;
/** A step's changes besides the deployed state's copy (every step moves the state). */
const changedBesidesState = (diff: PlanDiff) =>
  diff.changed.filter((c) => !c.urn.endsWith("::deployed-state-marker"));
const names = (rs: { urn: string }[]) =>
  rs.map((r) => r.urn.split("::").pop()).sort();

describe("standby failback, step by step (prod on RDS)", () => {
  it("never deletes a database without a final snapshot, nor the key its snapshot needs", () => {
    for (const diff of diffs) {
      for (const risk of diff.dataAtRisk) {
        expect(risk.reason).toMatch(
          /^(DELETED after a final snapshot|removed from the stack \(retained|loses protect)/,
        );
      }
    }
  });

  it("publishes each step's state, numbered one after the last, and writes its copy in the recovery region", () => {
    const states = plans.map(
      (p) => p.outputs.drState as { sequence: number; failback: string },
    );
    expect(states.map((s) => [s.sequence, s.failback])).toEqual(
      STEPS.map(([, overrides], i) => [
        i + 1,
        /dr:failback=(\w+)/.exec(overrides.join(" "))?.[1] ?? "none",
      ]),
    );
    for (const plan of plans) {
      const copy = plan.resources.find(
        (r) => r.name === "deployed-state-marker",
      );
      expect([
        copy?.region,
        JSON.parse(String(copy?.inputs.insecureValue)),
      ]).toEqual([plan.outputs.recoveryRegion, plan.outputs.drState]);
    }
  });

  it("failover promotes the replica in place and leaves the primary database as it was", () => {
    const failover = diffs[0];
    expect(failover.removed.map((r) => r.type)).not.toContain(
      "aws:rds/instance:Instance",
    );
    expect(db(plans[1], "recovery-db").inputs).not.toHaveProperty(
      "replicateSourceDb",
    );
    expect(db(plans[1], "primary-db").inputs).toEqual(
      db(plans[0], "primary-db").inputs,
    );
  });

  it("resize gives the promoted database the primary's class, Multi-AZ and backups in place, then its backup plan, and touches no other data", () => {
    const resize = diffs[1];
    // The recovery region's backup plan comes with the database's own backups (AWS Backup's
    // continuous rule needs them on).
    expect(names(resize.added)).toEqual([
      "recovery-backup",
      "recovery-backup",
      "recovery-backup-selection",
    ]);
    expect(resize.removed).toEqual([]);
    expect(resize.dataAtRisk).toEqual([]);
    const before = db(plans[1], "recovery-db");
    const after = db(plans[2], "recovery-db");
    expect(after.urn).toBe(before.urn);
    expect(before.ignoreChanges).toEqual(
      expect.arrayContaining([
        "instanceClass",
        "multiAz",
        "backupRetentionPeriod",
      ]),
    );
    expect(after.ignoreChanges ?? []).not.toContain("instanceClass");
    expect(after.inputs).toMatchObject({
      instanceClass: db(plans[0], "primary-db").inputs.instanceClass,
      multiAz: db(plans[0], "primary-db").inputs.multiAz,
      backupRetentionPeriod: db(plans[0], "primary-db").inputs
        .backupRetentionPeriod,
    });
  });

  it("fence, the first run once the primary region answers, stops the primary site writing to its stale database and changes nothing else", () => {
    const fence = diffs[2];
    expect(fence.added).toEqual([]);
    expect(fence.removed).toEqual([]);
    expect(fence.dataAtRisk).toEqual([]);
    // No primary instance writes to the stale primary database once its region is back, and the
    // database itself takes no writes (an app still pointed at it re-reads its parameters).
    expect(
      changedBesidesState(fence)
        .map((c) => [c.urn.split("::").pop(), c.changedInputs])
        .sort(),
    ).toEqual([
      ["primary-asg", ["maxSize", "minSize", "waitForCapacityTimeout"]],
      ["primary-db-params", ["parameters"]],
    ]);
    expect([
      readOnly(plans[2], "primary-db"),
      readOnly(plans[3], "primary-db"),
    ]).toEqual([false, true]);
    expect(
      plans[3].resources.find((r) => r.name === "primary-asg")?.inputs,
    ).toMatchObject({ minSize: 0, maxSize: 0, waitForCapacityTimeout: "0" });
  });

  it("reseed adds a primary-region replica of the promoted database, watched for lag, keeps the fence, lets the seed's source keep more WAL, and changes nothing else", () => {
    const reseed = diffs[3];
    expect(
      reseed.added.find((r) => r.name === "successor-alarms-replica-lag"),
    ).toMatchObject({
      region: "us-east-1",
      inputs: { dimensions: { DBInstanceIdentifier: "primary-db-2" } },
    });
    expect(reseed.removed).toEqual([]);
    // The seed (a snapshot copied across regions and restored) outlasts the slot's usual WAL
    // bound on a busy source: a quarter of its storage ceiling while it seeds, then the usual one.
    expect(
      changedBesidesState(reseed).map((c) => [
        c.urn.split("::").pop(),
        c.changedInputs,
      ]),
    ).toEqual([["recovery-db-params", ["parameters"]]]);
    expect([
      walBound(plans[3], "recovery-db"),
      walBound(plans[4], "recovery-db"),
      walBound(plans[5], "recovery-db"),
    ]).toEqual([
      String(Math.floor((100 * 1024) / 5)),
      String((1000 * 1024) / 4),
      String(Math.floor((100 * 1024) / 5)),
    ]);
    expect(
      plans[4].resources.find((r) => r.name === "recovery-db-alarms-slot-lag")
        ?.inputs.threshold,
    ).toBe(((1000 * 1024) / 4 / 2) * 2 ** 20);
    expect(readOnly(plans[4], "primary-db")).toBe(true);
    expect(
      plans[4].resources.find((r) => r.name === "primary-asg")?.inputs,
    ).toMatchObject({ minSize: 0, maxSize: 0 });
    expect(reseed.dataAtRisk).toEqual([]);
    const successor = db(plans[4], "primary-db-2");
    expect(successor.region).toBe("us-east-1");
    expect(successor.inputs).toMatchObject({
      replicateSourceDb:
        "arn:aws:rds:us-west-2:123456789012:db:aws-dr-prod-recovery-db",
      kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/primary-db-2-key",
    });
    expect(successor.inputs).not.toHaveProperty("dbName");
  });

  it("freeze makes the serving recovery database read-only before the promote run, and changes nothing else but its WAL bound and the alarms set against it", () => {
    const freeze = diffs[4];
    expect([freeze.added, freeze.removed, freeze.dataAtRisk]).toEqual([
      [],
      [],
      [],
    ]);
    expect(
      changedBesidesState(freeze)
        .map((c) => c.urn.split("::").pop())
        .sort(),
    ).toEqual([
      "recovery-db-alarms-slot-lag",
      "recovery-db-alarms-wal-disk",
      "recovery-db-params",
    ]);
    expect([
      readOnly(plans[4], "recovery-db"),
      readOnly(plans[5], "recovery-db"),
      readOnly(plans[6], "recovery-db"),
    ]).toEqual([false, true, true]);
    // The recovery site keeps serving (reads) until the promote run moves traffic.
    expect(
      plans[5].resources.find((r) => r.name === "recovery-asg")?.inputs,
    ).toEqual(
      plans[4].resources.find((r) => r.name === "recovery-asg")?.inputs,
    );
  });

  it("promote makes the successor serve with nothing but its promotion, guarded, moves all weight to it while the stale site still answers, and lifts the stale databases' guards without deleting them", () => {
    const promote = diffs[5];
    expect(
      names(
        promote.removed.filter((r) => r.type === "aws:rds/instance:Instance"),
      ),
    ).toEqual([]);
    const successor = db(plans[6], "primary-db-2");
    expect(successor.inputs).not.toHaveProperty("replicateSourceDb");
    expect(successor.protect).toBe(true);
    // Its source was made read-only by the run before: this one changes nothing there.
    expect(
      changedBesidesState(diffs[5]).map((c) => c.urn.split("::").pop()),
    ).not.toContain("recovery-db-params");
    // As it was seeded: the records and the writer wait for PromoteReadReplica alone.
    expect(successor.inputs).toMatchObject({
      multiAz: false,
      backupRetentionPeriod: 0,
      tags: { "aws-dr:role": "promoting" },
    });
    expect(successor.ignoreChanges).toEqual(
      expect.arrayContaining([
        "instanceClass",
        "multiAz",
        "backupRetentionPeriod",
        "deletionProtection",
      ]),
    );
    for (const stale of ["primary-db", "recovery-db"]) {
      const r = db(plans[6], stale);
      expect([
        r.protect,
        r.inputs.deletionProtection,
        r.inputs.skipFinalSnapshot,
      ]).toEqual([false, false, false]);
    }
    expect(plans[6].outputs.databaseAddress).toBe(
      "primary-db-2.us-east-1.rds.amazonaws.com",
    );
    const weights = plans[6].resources
      .filter((r) => r.type === "aws:route53/record:Record")
      .map((r) => [
        r.name,
        (r.inputs.weightedRoutingPolicies as { weight: number }[])[0].weight,
      ])
      .sort();
    // All weight to the primary; the stale site's record stays at 0, and its fleet keeps answering
    // those the DNS has not moved yet (it shrinks in the next step, after its record).
    expect(weights).toEqual([
      ["app-primary", 1],
      ["app-recovery", 0],
    ]);
    const recoverySize = (plan: Plan) => {
      const group = plan.resources.find((r) => r.name === "recovery-asg");
      return [group?.inputs.minSize, group?.inputs.maxSize];
    };
    expect(recoverySize(plans[6])).toEqual(recoverySize(plans[5]));
    // Both stale databases take no writes; the successor does.
    expect(
      ["primary-db", "recovery-db", "primary-db-2"].map((n) =>
        readOnly(plans[6], n),
      ),
    ).toEqual([true, true, false]);
    // Its backup plan takes it only once it has backups of its own (the next step): a continuous
    // rule would turn them on, restarting it at a time nobody chose.
    const selected = (plan: Plan) =>
      plan.resources.find((r) => r.name === "backup-selection")
        ?.propertyDependencies.resources;
    expect(selected(plans[6])).not.toContain(successor.urn);
    expect(selected(plans[7])).toContain(db(plans[7], "primary-db-2").urn);
    // The primary site grows back before its record takes traffic.
    const primaryRecord = plans[6].resources.find(
      (r) => r.type === "aws-dr:dns:SiteRecord" && r.name === "app-primary",
    );
    expect(primaryRecord?.dependsOn).toContain(
      plans[6].resources.find((r) => r.name === "primary-asg")?.urn,
    );
  });

  it("the last step deletes the stale databases after their final snapshots, keeps their keys, and replicates the new primary again", () => {
    const last = diffs[6];
    expect(
      last.dataAtRisk.map((d) => [d.urn.split("::").pop(), d.reason]).sort(),
    ).toEqual([
      [
        "primary-db",
        "DELETED after a final snapshot (aws-dr-prod-primary-db-final)",
      ],
      [
        "primary-db-key",
        "removed from the stack (retained in AWS: retainOnDelete)",
      ],
      [
        "recovery-db",
        "DELETED after a final snapshot (aws-dr-prod-recovery-db-final)",
      ],
      [
        "recovery-db-key",
        "removed from the stack (retained in AWS: retainOnDelete)",
      ],
    ]);
    expect(db(plans[7], "recovery-db-2").inputs).toMatchObject({
      replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:primary-db-2",
      identifier: "aws-dr-prod-recovery-db-2",
    });
    expect(names(instances(plans[7]))).toEqual([
      "primary-db-2",
      "recovery-db-2",
    ]);
    // The successor keeps its identity; now that traffic has moved, it gets Multi-AZ and backups.
    const before = db(plans[6], "primary-db-2");
    const after = db(plans[7], "primary-db-2");
    expect(after.urn).toBe(before.urn);
    expect(after.inputs).toMatchObject({
      multiAz: true,
      backupRetentionPeriod: 35,
      deletionProtection: true,
    });
    expect(after.inputs.tags).toBeUndefined();
    expect(after.ignoreChanges).not.toContain("multiAz");
  });
});
