import type { Recording, StackConfig } from "@aws-dr/testing";
import { MINIMAL_CONFIG, runnerOf } from "../test-stack";

const run = async (overrides: StackConfig) =>
  (
    await runnerOf({
      ...MINIMAL_CONFIG,
      "dr:tier": "warm-standby",
      "dr:targets": { rtoMinutes: 60, rpoMinutes: 120 },
      "dr:backup": { schedule: "cron(0 * ? * * *)" },
    })(overrides)
  ).recorder;

// The failback's steps around the successor's promotion, and the step after it.
const STEPS: Record<string, StackConfig> = {
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
