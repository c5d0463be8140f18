import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { toPlan } from "./plan";
import { runProgram } from "./run-program";

/** The plan of a program that registers one topic (default provider) and warns once. */
async function planOfTopic() {
  const run = await runProgram(
    async () => {
      new aws.sns.Topic("alerts", {}, { protect: true });
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
  it("formats no stacks while the program runs, and gives the process its stack traces back after, also when the program throws", async () => {
    const before = [Error.stackTraceLimit, Error.prepareStackTrace];
    let during = "";
    await runProgram(
      async () => {
        during = String(new Error("inside").stack);
        return {};
      },
      "aws-dr",
      "dev",
      {},
    );
    expect(during).toBe("");
    await expect(
      runProgram(
        async () => {
          throw new Error("bad config");
        },
        "aws-dr",
        "dev",
        {},
      ),
    ).rejects.toThrow("bad config");
    expect([Error.stackTraceLimit, Error.prepareStackTrace]).toEqual(before);
    expect(new Error("after").stack).toContain("plan.test.ts");
  });
});
