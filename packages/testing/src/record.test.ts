import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { record } from "./record";

describe("record", () => {
  it("records what a component test builds, in the aws-dr project's test stack", async () => {
    const rec = await record(() => new s3.Bucket("b"));
    expect(rec.one("aws:s3/bucket:Bucket").urn).toBe(
      "urn:pulumi:test::aws-dr::aws:s3/bucket:Bucket::b",
    );
  });

  it("runs the build with the given stack config", async () => {
    let tier: string | undefined;
    await record(() => (tier = new pulumi.Config("dr").get("tier")), {
      "dr:tier": "pilot-light",
    });
    expect(tier).toBe("pilot-light");
  });

  it("starts each recording afresh", async () => {
    await record(() => new s3.Bucket("first"));
    const rec = await record(() => new s3.Bucket("second"));
    expect(rec.resources.map((r) => r.name)).toEqual(["second"]);
  });
});
