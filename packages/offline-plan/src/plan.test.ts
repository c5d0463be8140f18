import * as fs from "node:fs";
import * as path from "node:path";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { toPlan } from "./plan";
import { runProgram } from "./run-program";

/** The plan of a program that registers one topic (default provider) and warns once. */
async function planOfTopic() {
  const run = await runProgram(
    async () => {
      new sns.Topic("alerts", {}, { protect: true });
      await pulumi.log.warn("careful");
      return { tier: "pilot-light", failover: false, other: 1 };
    },
    "aws-dr",
    "dev",
    {},
  );
  return toPlan("dev", run);
}

describe("toPlan", () => {
  it("takes tier and failover from the stack outputs and keeps outputs and warnings", async () => {
    const plan = await planOfTopic();
    expect(Object.keys(plan)).toEqual([
      "stack",
      "tier",
      "failover",
      "resources",
      "outputs",
      "warnings",
    ]);
    expect(plan).toMatchObject({
      stack: "dev",
      tier: "pilot-light",
      failover: false,
      outputs: { tier: "pilot-light", failover: false, other: 1 },
      warnings: ["careful"],
    });
  });

  it("writes every resource field, the first contract's in their order and the options added since after inputs", async () => {
    const [topic] = (await planOfTopic()).resources;
    expect(Object.keys(topic)).toEqual([
      "urn",
      "type",
      "name",
      "parent",
      "provider",
      "region",
      "protect",
      "retainOnDelete",
      "ignoreChanges",
      "propertyDependencies",
      "inputs",
      "dependsOn",
      "deleteBeforeReplace",
      "replaceOnChanges",
      "customTimeouts",
      "aliases",
    ]);
  });

  it("is documented field by field: docs/plan-contract.md's tables list exactly the document's and a resource's fields, in their order", async () => {
    const doc = fs.readFileSync(
      path.join(__dirname, "..", "..", "..", "docs", "plan-contract.md"),
      "utf8",
    );
    /** The first column of the table under a heading. */
    const tableFields = (heading: string) => {
      const section = doc.split(`\n${heading}\n`)[1]?.split("\n#")[0] ?? "";
      return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
    };
    const plan = await planOfTopic();
    expect(tableFields("## The document")).toEqual(Object.keys(plan));
    expect(tableFields("## A resource")).toEqual(
      Object.keys(plan.resources[0]),
    );
  });

  it("writes an absent parent, provider or region as null, and unset options as neutral values", async () => {
    const [topic] = (await planOfTopic()).resources;
    expect(topic).toEqual({
      urn: "urn:pulumi:dev::aws-dr::aws:sns/topic:Topic::alerts",
      type: "aws:sns/topic:Topic",
      name: "alerts",
      parent: null,
      provider: null,
      region: null,
      protect: true,
      retainOnDelete: false,
      ignoreChanges: [],
      propertyDependencies: {},
      inputs: expect.any(Object),
      dependsOn: [],
      deleteBeforeReplace: false,
      replaceOnChanges: [],
      customTimeouts: null,
      aliases: [],
    });
  });
});

describe("runProgram", () => {
  it("captures no stacks while the program runs, not even where the SDK raises the limit, and gives the process its stack traces back after, also when the program throws", async () => {
    const before = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
    const prepare = Error.prepareStackTrace;
    let during: unknown[] = [];
    await runProgram(
      async () => {
        // What the SDK's Resource.callsites does for every resource it registers.
        Error.stackTraceLimit = Number.POSITIVE_INFINITY;
        during = [new Error("inside").stack, Error.stackTraceLimit];
        return {};
      },
      "aws-dr",
      "dev",
      {},
    );
    expect(during).toEqual([undefined, 0]);
    await expect(
      runProgram(
        async () => {
          throw new Error("bad config");
        },
        "aws-dr",
        "dev",
        {},
      ),
    ).rejects.toMatchObject({
      message: "bad config",
      // A reporter reads it as a string; none was captured during the run.
      stack: "Error: bad config",
      cause: { message: "bad config", stack: "Error: bad config" },
    });
    expect([
      Object.getOwnPropertyDescriptor(Error, "stackTraceLimit"),
      Error.prepareStackTrace,
    ]).toEqual([before, prepare]);
    expect(new Error("after").stack).toContain("plan.test.ts");
  });
});
