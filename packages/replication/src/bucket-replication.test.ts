import * as s3 from "@pulumi/aws/s3";
import { record } from "@aws-dr/testing";
import { BucketReplication } from "./bucket-replication";

describe("BucketReplication", () => {
  const build = () =>
    record(() => {
      const end = (name: string) => {
        const bucket = new s3.Bucket(name);
        return {
          bucket,
          versioning: new s3.BucketVersioning(`${name}-v`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
          }),
          kmsKeyArn: `${name}-key-arn`,
        };
      };
      return new BucketReplication("repl", {
        source: end("src"),
        destination: end("dst"),
      });
    });

  it("replicates KMS-encrypted objects and delete markers into the destination with RTC", async () => {
    const rule = (
      (await build()).one(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      ).inputs.rules as Record<string, unknown>[]
    )[0];
    expect(rule).toMatchObject({
      status: "Enabled",
      filter: {},
      deleteMarkerReplication: { status: "Enabled" },
      sourceSelectionCriteria: {
        sseKmsEncryptedObjects: { status: "Enabled" },
      },
      destination: {
        bucket: "arn:aws:s3:::dst",
        encryptionConfiguration: { replicaKmsKeyId: "dst-key-arn" },
        replicationTime: { status: "Enabled", time: { minutes: 15 } },
        metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
      },
    });
  });

  it("lets the role decrypt with the source key and encrypt with the replica key, nothing wider", async () => {
    const policy = (await build()).one("aws:iam/rolePolicy:RolePolicy").inputs
      .policy as { Statement: { Action: string[]; Resource: string[] }[] };
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Action: ["kms:Decrypt"],
        Resource: ["src-key-arn"],
      }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: ["dst-key-arn"],
      }),
    );
    for (const s of policy.Statement) {
      expect(s.Action.some((a) => a.includes("*"))).toBe(false);
      expect(s.Resource).not.toContain("*");
    }
  });
});
