import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { record, runProgram } from "./run-program";

class Holder extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Holder", name, {}, opts);
    new aws.s3.Bucket(
      `${name}-bucket`,
      {},
      { parent: this, protect: true, retainOnDelete: true },
    );
    new aws.ssm.Parameter(
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
          provider: new aws.Provider("eu", { region: "eu-west-1" }),
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
        (arn = new aws.kms.Key(
          "k",
          {},
          { provider: new aws.Provider("us", { region: "us-east-2" }) },
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
      new aws.s3.Bucket(
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
          provider: new aws.Provider("us", { region: "us-east-1" }),
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
          provider: new aws.Provider("us", { region: "us-east-1" }),
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
    const rec = await record(() => new aws.s3.Bucket("slow", { bucket: late }));
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
