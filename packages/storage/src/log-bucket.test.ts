import { Provider } from "@pulumi/aws/provider";
import { record } from "@aws-dr/testing";
import { LogBucket } from "./log-bucket";

const build = (protect: boolean) =>
  record(
    () =>
      new LogBucket(
        "logs",
        { accountId: "123456789012", retentionDays: 90, protect },
        { provider: new Provider("east", { region: "us-east-1" }) },
      ),
  );

interface Statement {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string;
  Resource: unknown;
  Condition?: unknown;
}

describe("LogBucket", () => {
  it("encrypts with SSE-S3, which ALB and S3 log delivery require", async () => {
    const rec = await build(false);
    expect(
      rec.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ).inputs.rules,
    ).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
  });

  it("blocks public access, disables ACLs and expires logs after the retention", async () => {
    const rec = await build(false);
    expect(
      rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      rec.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
        .rule,
    ).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(
      rec.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      ).inputs.rules,
    ).toEqual([
      expect.objectContaining({ status: "Enabled", expiration: { days: 90 } }),
    ]);
  });

  it("lets only S3 and ALB log delivery write, over TLS only", async () => {
    const rec = await build(false);
    const { Statement } = rec.one("aws:s3/bucketPolicy:BucketPolicy").inputs
      .policy as { Statement: Statement[] };
    const allows = Statement.filter((s) => s.Effect === "Allow");
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::logs/*",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      }),
      expect.objectContaining({
        Principal: {
          Service: "logdelivery.elasticloadbalancing.amazonaws.com",
        },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::logs/alb/*",
      }),
    ]);
    expect(
      Statement.filter((s) => s.Effect === "Deny").map((s) => s.Sid),
    ).toEqual(["DenyInsecureTransport", "DenyOutdatedTls"]);
  });

  it.each([true, false])(
    "with protect=%s protects, retains and keeps the bucket accordingly",
    async (protect) => {
      const bucket = (await build(protect)).one("aws:s3/bucket:Bucket");
      expect(bucket).toMatchObject({ protect, retainOnDelete: protect });
      expect(bucket.inputs.forceDestroy).toBe(!protect);
    },
  );
});
