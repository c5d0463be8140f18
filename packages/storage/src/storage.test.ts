import * as aws from "@pulumi/aws";
import { record } from "@aws-dr/testing";
import { Database, type DatabaseArgs } from "./database";
import { SecureBucket } from "./secure-bucket";

const provider = () => new aws.Provider("east", { region: "us-east-1" });

describe("SecureBucket", () => {
  it("versions, encrypts with its own KMS key, blocks public access and denies non-TLS", async () => {
    const rec = await record(
      () =>
        new SecureBucket("data", { protect: false }, { provider: provider() }),
    );
    expect(
      rec.one("aws:s3/bucketVersioning:BucketVersioning").inputs
        .versioningConfiguration,
    ).toEqual({ status: "Enabled" });
    const sse = rec.one(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ).inputs;
    expect(sse.rules).toEqual([
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/data-key",
        },
        bucketKeyEnabled: true,
      },
    ]);
    expect(rec.one("aws:kms/key:Key").inputs).toMatchObject({
      enableKeyRotation: true,
    });
    expect(
      rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const policy = rec.one("aws:s3/bucketPolicy:BucketPolicy").inputs
      .policy as { Statement: { Effect: string; Condition: unknown }[] };
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  it("protects and retains the bucket and key when asked, and never force-destroys them", async () => {
    const rec = await record(
      () =>
        new SecureBucket("data", { protect: true }, { provider: provider() }),
    );
    for (const type of ["aws:s3/bucket:Bucket", "aws:kms/key:Key"]) {
      expect(rec.one(type)).toMatchObject({
        protect: true,
        retainOnDelete: true,
      });
    }
    expect(rec.one("aws:s3/bucket:Bucket").inputs.forceDestroy).toBe(false);
  });

  it("turns Object Lock on at creation only when asked", async () => {
    const locked = await record(
      () =>
        new SecureBucket(
          "b",
          { protect: false, objectLockDays: 30 },
          { provider: provider() },
        ),
    );
    expect(locked.one("aws:s3/bucket:Bucket").inputs.objectLockEnabled).toBe(
      true,
    );
    expect(
      locked.one(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      ).inputs.rule,
    ).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 30 } });
    const plain = await record(
      () => new SecureBucket("b", { protect: false }, { provider: provider() }),
    );
    expect(
      plain.ofType(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      ),
    ).toHaveLength(0);
  });
});

describe("Database", () => {
  const args = {
    engineVersion: "16",
    instanceClass: "db.t4g.medium",
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    backupRetentionDays: 14,
    multiAz: true,
    dbName: "app",
    username: "app",
    password: "correct-horse-battery-staple",
    subnetIds: ["i1", "i2"],
    securityGroupId: "sg-db",
  };

  const build = (extra: Partial<DatabaseArgs> = {}) =>
    record(
      () =>
        new Database(
          "db",
          { ...args, protect: false, ...extra },
          { provider: provider() },
        ),
    );

  it("is private, multi-AZ, KMS-encrypted with its own key and keeps backups", async () => {
    const rec = await build();
    const db = rec.one("aws:rds/instance:Instance").inputs;
    expect(db).toMatchObject({
      engine: "postgres",
      publiclyAccessible: false,
      multiAz: true,
      storageEncrypted: true,
      kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/db-key",
      backupRetentionPeriod: 14,
    });
    expect(db.vpcSecurityGroupIds).toEqual(["sg-db"]);
  });

  it("accepts TLS connections only", async () => {
    const rec = await build();
    expect(
      rec.one("aws:rds/parameterGroup:ParameterGroup").inputs,
    ).toMatchObject({
      family: "postgres16",
      parameters: expect.arrayContaining([
        { name: "rds.force_ssl", value: "1" },
      ]),
    });
  });

  it.each([
    [
      true,
      {
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "db-final",
      },
    ],
    [false, { deletionProtection: false, skipFinalSnapshot: true }],
  ])(
    "with protect=%s guards deletion accordingly",
    async (protect, expected) => {
      const rec = await build({ protect });
      const db = rec.one("aws:rds/instance:Instance");
      expect(db.inputs).toMatchObject(expected);
      expect([db.protect, db.retainOnDelete]).toEqual([protect, protect]);
    },
  );

  it("restores from a snapshot without setting a name or user of its own", async () => {
    const rec = await build({ snapshotIdentifier: "snap-1" });
    const db = rec.one("aws:rds/instance:Instance");
    expect(db.inputs).toMatchObject({ snapshotIdentifier: "snap-1" });
    expect(db.inputs).not.toHaveProperty("dbName");
    expect(db.inputs).not.toHaveProperty("username");
    expect(db.ignoreChanges).toContain("snapshotIdentifier");
    // RDS keeps the snapshot's key; asking for another would replace the database on the next up.
    expect(db.inputs).not.toHaveProperty("kmsKeyId");
    expect(rec.ofType("aws:kms/key:Key")).toHaveLength(0);
  });

  it("takes a final snapshot named after the restored snapshot when asked, even unprotected", async () => {
    const db = (
      await build({
        snapshotIdentifier: "arn:aws:rds:us-west-2:1:snapshot:awsbackup:job-9",
        finalSnapshot: true,
      })
    ).one("aws:rds/instance:Instance");
    expect(db.inputs).toMatchObject({
      skipFinalSnapshot: false,
      deletionProtection: false,
      finalSnapshotIdentifier: "db-final-from-job-9",
    });
  });
});
