import { Provider } from "@pulumi/aws/provider";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as sns from "@pulumi/aws/sns";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import type { PlanRecorder } from "./recorder";
import { runProgram } from "./run-program";

/** What `build` registers (the engine's own tests cannot use @aws-dr/testing, which builds on it). */
async function record(build: () => unknown): Promise<PlanRecorder> {
  const run = await runProgram(
    () => {
      build();
      return {};
    },
    "aws-dr",
    "test",
    {},
  );
  return run.recorder;
}

class Holder extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Holder", name, {}, opts);
    new s3.Bucket(
      `${name}-bucket`,
      {},
      { parent: this, protect: true, retainOnDelete: true },
    );
    new ssm.Parameter(
      `${name}-param`,
      { type: "SecureString", value: pulumi.secret("hunter2") },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

describe("PlanRecorder", () => {
  it("records parent, inherited provider and region, and resource options", async () => {
    const rec = await record(
      () =>
        new Holder("h", {
          provider: new Provider("eu", { region: "eu-west-1" }),
        }),
    );
    const bucket = rec.one("aws:s3/bucket:Bucket");
    expect(bucket).toMatchObject({
      urn: "urn:pulumi:test::aws-dr::test:index:Holder$aws:s3/bucket:Bucket::h-bucket",
      parent: "urn:pulumi:test::aws-dr::test:index:Holder::h",
      provider: "urn:pulumi:test::aws-dr::pulumi:providers:aws::eu",
      region: "eu-west-1",
      protect: true,
      retainOnDelete: true,
    });
  });

  it("never exposes secret inputs", async () => {
    const rec = await record(() => new Holder("h"));
    expect(rec.one("aws:ssm/parameter:Parameter").inputs.value).toBe(
      "[secret]",
    );
  });

  it("answers with deterministic ARNs built from type, name and region", async () => {
    let arn: pulumi.Output<string> | undefined;
    await record(
      () =>
        (arn = new kms.Key(
          "k",
          {},
          { provider: new Provider("us", { region: "us-east-2" }) },
        ).arn),
    );
    const value = await new Promise((resolve) => arn?.apply(resolve));
    expect(value).toBe("arn:aws:kms:us-east-2:123456789012:key/k");
  });
});

describe("PlanRecorder URNs and regions, as the engine computes them", () => {
  class Outer extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
      super("test:index:Outer", name, {}, opts);
      new Holder(`${name}-inner`, { parent: this });
      new s3.Bucket(
        `${name}-elsewhere`,
        { region: "eu-central-1" },
        { parent: this },
      );
      this.registerOutputs({});
    }
  }

  it("qualifies a URN's type with the whole parent chain", async () => {
    const rec = await record(
      () =>
        new Outer("o", {
          provider: new Provider("us", { region: "us-east-1" }),
        }),
    );
    expect(rec.one("aws:s3/bucket:Bucket", "o-inner-bucket").urn).toBe(
      "urn:pulumi:test::aws-dr::test:index:Outer$test:index:Holder$aws:s3/bucket:Bucket::o-inner-bucket",
    );
  });

  it("takes a resource's own region input over its provider's", async () => {
    const rec = await record(
      () =>
        new Outer("o", {
          provider: new Provider("us", { region: "us-east-1" }),
        }),
    );
    expect(rec.one("aws:s3/bucket:Bucket", "o-elsewhere").region).toBe(
      "eu-central-1",
    );
    expect(rec.one("aws:s3/bucket:Bucket", "o-inner-bucket").region).toBe(
      "us-east-1",
    );
  });

  it("waits for registrations whose inputs resolve late", async () => {
    const late = new Promise<string>((resolve) =>
      setTimeout(() => resolve("late"), 30),
    );
    const rec = await record(() => new s3.Bucket("slow", { bucket: late }));
    expect(rec.one("aws:s3/bucket:Bucket", "slow").inputs.bucket).toBe("late");
  });

  it("prints secret stack outputs as [secret]", async () => {
    const { outputs } = await runProgram(
      () => ({ token: pulumi.secret("hunter2"), plain: "ok" }),
      "aws-dr",
      "test",
      {},
    );
    expect(outputs).toEqual({ token: "[secret]", plain: "ok" });
  });
});

describe("PlanRecorder resource options, as a real pulumi up acts on them", () => {
  /** A bucket, and a public access block whose bucket input comes from it. */
  class Guarded extends pulumi.ComponentResource {
    constructor(
      name: string,
      blockOpts: pulumi.CustomResourceOptions = {},
      opts?: pulumi.ComponentResourceOptions,
    ) {
      super("test:index:Guarded", name, {}, opts);
      const bucket = new s3.Bucket("data", {}, { parent: this });
      new s3.BucketPublicAccessBlock(
        "data-block",
        { bucket: bucket.id, blockPublicAcls: true },
        { parent: this, ...blockOpts },
      );
      this.registerOutputs({});
    }
  }
  const block = (rec: PlanRecorder) =>
    rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");

  it("records neutral values for options the program does not set", async () => {
    const rec = await record(() => new Guarded("g"));
    expect(block(rec)).toMatchObject({
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      dependsOn: [],
      deleteBeforeReplace: false,
      replaceOnChanges: [],
      customTimeouts: null,
      aliases: [],
    });
  });

  it("records an explicit dependsOn, not a dependency that only an input makes", async () => {
    let topic: sns.Topic | undefined;
    const rec = await record(() => {
      topic = new sns.Topic("alerts");
      new Guarded("g", { dependsOn: [topic] });
    });
    const guarded = block(rec);
    expect(guarded.dependsOn).toEqual([
      "urn:pulumi:test::aws-dr::aws:sns/topic:Topic::alerts",
    ]);
    // The bucket is a dependency too, but through the `bucket` input only.
    expect(guarded.propertyDependencies.bucket).toEqual([
      "urn:pulumi:test::aws-dr::test:index:Guarded$aws:s3/bucket:Bucket::data",
    ]);
    expect(guarded.dependsOn).not.toContain(
      guarded.propertyDependencies.bucket[0],
    );
  });

  it("records a dependsOn on a component as the custom resources under it", async () => {
    const rec = await record(() => {
      const first = new Guarded("first");
      new sns.Topic("after", {}, { dependsOn: [first] });
    });
    expect(rec.one("aws:sns/topic:Topic", "after").dependsOn.sort()).toEqual(
      rec
        .ofType("aws:s3/bucket:Bucket")
        .concat(
          rec.ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
        )
        .map((r) => r.urn)
        .sort(),
    );
  });

  it("records deleteBeforeReplace", async () => {
    const rec = await record(
      () => new Guarded("g", { deleteBeforeReplace: true }),
    );
    expect(block(rec).deleteBeforeReplace).toBe(true);
    expect(rec.one("aws:s3/bucket:Bucket").deleteBeforeReplace).toBe(false);
  });

  it("records replaceOnChanges", async () => {
    const rec = await record(
      () => new Guarded("g", { replaceOnChanges: ["blockPublicAcls"] }),
    );
    expect(block(rec).replaceOnChanges).toEqual(["blockPublicAcls"]);
  });

  it("records the custom timeouts the program sets, and only those", async () => {
    const rec = await record(
      () =>
        new Guarded("g", { customTimeouts: { create: "30m", delete: "1h" } }),
    );
    expect(block(rec).customTimeouts).toEqual({ create: "30m", delete: "1h" });
  });

  it("records aliases as the SDK sends them: old URNs and specs", async () => {
    const rec = await record(
      () =>
        new Guarded("g", {
          aliases: [
            { name: "old-block" },
            `urn:pulumi:test::aws-dr::aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::older`,
          ],
        }),
    );
    expect(block(rec).aliases).toEqual([
      {
        spec: {
          name: "old-block",
          type: "",
          stack: "",
          project: "",
          // The SDK sends the resource's parent when the alias names none.
          parentUrn: "urn:pulumi:test::aws-dr::test:index:Guarded::g",
          noParent: false,
        },
      },
      {
        urn: "urn:pulumi:test::aws-dr::aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::older",
      },
    ]);
  });

  it("records an alias from when the resource had no parent", async () => {
    const rec = await record(
      // `parent: undefined` is how a program says "it had no parent".
      () => new Guarded("g", { aliases: [{ parent: undefined }] }),
    );
    expect(block(rec).aliases).toMatchObject([
      { spec: { parentUrn: null, noParent: true } },
    ]);
  });
});
