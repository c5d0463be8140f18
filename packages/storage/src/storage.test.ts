import { Provider } from "@pulumi/aws/provider";
import { record } from "@aws-dr/testing";
import {
  Database,
  finalSnapshotName,
  hotStandbySettings,
  instanceClassShape,
  type DatabaseArgs,
} from "./database";
import { SecureBucket, type SecureBucketArgs } from "./secure-bucket";

const provider = () => new Provider("east", { region: "us-east-1" });

describe("SecureBucket", () => {
  const build = (extra: Partial<SecureBucketArgs> = {}) =>
    record(
      () =>
        new SecureBucket(
          "data",
          { protect: false, accessLogBucket: "logs", ...extra },
          { provider: provider() },
        ),
    );

  it("versions, encrypts with its own KMS key, blocks public access and denies non-TLS", async () => {
    const rec = await build();
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
      .policy as { Statement: unknown[] };
    const everything = ["arn:aws:s3:::data", "arn:aws:s3:::data/*"];
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Resource: everything,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
      expect.objectContaining({
        Effect: "Deny",
        Resource: everything,
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      }),
    ]);
  });

  it("sends server access logs to the log bucket under s3/<name>/", async () => {
    const rec = await build();
    expect(rec.one("aws:s3/bucketLogging:BucketLogging").inputs).toMatchObject({
      bucket: "data-id",
      targetBucket: "logs",
      targetPrefix: "s3/data/",
    });
  });

  it("protects and retains the bucket and key when asked, and never force-destroys them", async () => {
    const rec = await build({ protect: true });
    for (const type of ["aws:s3/bucket:Bucket", "aws:kms/key:Key"]) {
      expect(rec.one(type)).toMatchObject({
        protect: true,
        retainOnDelete: true,
      });
    }
    expect(rec.one("aws:s3/bucket:Bucket").inputs.forceDestroy).toBe(false);
  });

  it("turns Object Lock on by a configuration resource only, leaving the bucket unchanged", async () => {
    const locked = await build({ objectLockDays: 30 });
    expect(
      locked.one(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      ).inputs,
    ).toMatchObject({
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } },
    });
    const plain = await build();
    expect(
      plain.ofType(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      ),
    ).toHaveLength(0);
    const bucket = locked.one("aws:s3/bucket:Bucket").inputs;
    expect(bucket).not.toHaveProperty("objectLockEnabled");
    expect(bucket).toEqual(plain.one("aws:s3/bucket:Bucket").inputs);
  });
});

describe("finalSnapshotName", () => {
  it("is unique per project, stack and restored snapshot", () => {
    expect(finalSnapshotName("prod", "db")).toBe("aws-dr-prod-db-final");
    expect(
      finalSnapshotName(
        "prod",
        "db",
        "arn:aws:rds:us-west-2:1:snapshot:awsbackup:job-9",
      ),
    ).toBe("aws-dr-prod-db-final-from-job-9");
  });

  it("stays a valid identifier of at most 255 characters", () => {
    const name = finalSnapshotName("prod", "db", `snap-${"x".repeat(300)}-`);
    expect(name.length).toBeLessThanOrEqual(255);
    expect(name).toMatch(/^[a-z](-?[a-z0-9])*$/);
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
    subnetGroupName: "site-db-subnets",
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

  it("uses the given subnet group instead of creating its own", async () => {
    const rec = await build();
    expect(rec.one("aws:rds/instance:Instance").inputs.dbSubnetGroupName).toBe(
      "site-db-subnets",
    );
    expect(rec.ofType("aws:rds/subnetGroup:SubnetGroup")).toHaveLength(0);
  });

  it("applies changes, major upgrades included, immediately", async () => {
    const db = (await build()).one("aws:rds/instance:Instance").inputs;
    expect(db).toMatchObject({
      applyImmediately: true,
      allowMajorVersionUpgrade: true,
    });
  });

  it.each(["16", "17"])(
    "accepts TLS connections only, with a postgres%s parameter group",
    async (engineVersion) => {
      const rec = await build({ engineVersion });
      expect(
        rec.one("aws:rds/parameterGroup:ParameterGroup").inputs,
      ).toMatchObject({
        family: `postgres${engineVersion}`,
        parameters: expect.arrayContaining([
          { name: "rds.force_ssl", value: "1" },
        ]),
      });
    },
  );

  it.each([
    [
      true,
      {
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "aws-dr-test-db-final",
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
    // Its own key exists all the same, kept should the database change origin in place.
    expect(db.inputs).not.toHaveProperty("kmsKeyId");
    expect(db.ignoreChanges).toContain("kmsKeyId");
    // Performance Insights runs under its own key, the one input that never changes once set.
    expect(db.inputs.performanceInsightsKmsKeyId).toBe(
      "arn:aws:kms:us-east-1:123456789012:key/db-key",
    );
    expect(db.ignoreChanges).not.toContain("performanceInsightsKmsKeyId");
  });

  it("takes a final snapshot named after the stack and restored snapshot when asked, even unprotected", async () => {
    const db = (
      await build({
        snapshotIdentifier: "arn:aws:rds:us-west-2:1:snapshot:awsbackup:job-9",
        finalSnapshot: true,
      })
    ).one("aws:rds/instance:Instance");
    expect(db.inputs).toMatchObject({
      skipFinalSnapshot: false,
      deletionProtection: false,
      finalSnapshotIdentifier: "aws-dr-test-db-final-from-job-9",
    });
  });

  describe("replication settings", () => {
    const params = async (extra: Partial<DatabaseArgs>) =>
      (await build(extra)).one("aws:rds/parameterGroup:ParameterGroup").inputs
        .parameters as { name: string; value: string; applyMethod?: string }[];
    const STANDBY = [
      "max_connections",
      "max_worker_processes",
      "max_locks_per_transaction",
      "max_prepared_transactions",
      "max_wal_senders",
    ];
    const standbyOf = (list: { name: string }[]) =>
      list.filter((p) => STANDBY.includes(p.name));

    it("pins what a hot standby must match to the primary class's upper bound in a smaller replica's group, applied at its next reboot, and leaves the primary RDS's own", async () => {
      const primary = await params({ instanceClass: "db.r7g.large" });
      const replica = await params({
        instanceClass: "db.t4g.micro",
        replica: { sourceArn: "arn:aws:rds:us-west-2:123456789012:db:p" },
        replication: { primaryInstanceClass: "db.r7g.large" },
      });
      // The primary keeps RDS's values, at or below the standby's in any reboot order.
      expect(standbyOf(primary)).toEqual([]);
      // db.r7g.large: 16 GiB and 2 vCPUs, through RDS's own formulas.
      expect(standbyOf(replica)).toEqual([
        {
          name: "max_connections",
          value: "1802",
          applyMethod: "pending-reboot",
        },
        {
          name: "max_worker_processes",
          value: "8",
          applyMethod: "pending-reboot",
        },
        {
          name: "max_locks_per_transaction",
          value: "64",
          applyMethod: "pending-reboot",
        },
        {
          name: "max_prepared_transactions",
          value: "0",
          applyMethod: "pending-reboot",
        },
        { name: "max_wal_senders", value: "35", applyMethod: "pending-reboot" },
      ]);
      // Sized by its own class, the micro replica would get a sixteenth of the connections.
      expect(hotStandbySettings("db.t4g.micro").max_connections).toBe(112);
    });

    it("sizes max_connections and max_worker_processes by RDS's formulas, capped at 5000 connections", () => {
      expect(hotStandbySettings("db.t4g.small")).toMatchObject({
        max_connections: 225,
        max_worker_processes: 8,
      });
      expect(hotStandbySettings("db.r7g.4xlarge")).toMatchObject({
        max_connections: 5000,
        max_worker_processes: 32,
      });
      expect(instanceClassShape("db.m7g.2xlarge")).toEqual({
        vcpus: 8,
        memoryGib: 32,
      });
      expect(instanceClassShape("db.x2g.xlarge")).toEqual({
        vcpus: 4,
        memoryGib: 64,
      });
      expect(() => instanceClassShape("db.m5.metal")).toThrow(
        /db\.m5\.metal: no known vCPU and memory/,
      );
    });

    it("bounds the WAL replication slots may keep to a fifth of the allocated storage (not the ceiling), applied at once", async () => {
      const db = await build({
        allocatedStorageGb: 500,
        maxAllocatedStorageGb: 5000,
      });
      expect(
        db.one("aws:rds/parameterGroup:ParameterGroup").inputs.parameters,
      ).toContainEqual({ name: "max_slot_wal_keep_size", value: "102400" });
    });

    it("keeps long reads on a replica that serves them, and only there", async () => {
      const reads = [
        { name: "hot_standby_feedback", value: "1" },
        { name: "max_standby_streaming_delay", value: "300000" },
      ];
      const serving = await params({
        replica: { sourceArn: "arn:aws:rds:us-west-2:123456789012:db:p" },
        replication: {
          primaryInstanceClass: "db.t4g.medium",
          servesReads: true,
        },
      });
      expect(serving).toEqual(expect.arrayContaining(reads));
      const standby = await params({
        replica: { sourceArn: "arn:aws:rds:us-west-2:123456789012:db:p" },
        replication: { primaryInstanceClass: "db.t4g.medium" },
      });
      expect(standby.map((p) => p.name)).not.toContain("hot_standby_feedback");
      expect(standby.map((p) => p.name)).not.toContain(
        "max_standby_streaming_delay",
      );
    });
  });

  it("gives a promoted replica resized to a class with Performance Insights its own key, never holding the key's change back", async () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/db-key";
    // Too small: Performance Insights off, no key.
    const small = (
      await build({
        instanceClass: "db.t4g.micro",
        replica: { sourceArn: "arn:aws:rds:us-west-2:123456789012:db:p" },
      })
    ).one("aws:rds/instance:Instance");
    expect(small.inputs.performanceInsightsEnabled).toBe(false);
    expect(small.inputs).not.toHaveProperty("performanceInsightsKmsKeyId");
    // Promoted and resized: on, under its own key, which the engine sends (RDS then keeps it).
    const resized = (
      await build({ instanceClass: "db.r7g.large", replica: {} })
    ).one("aws:rds/instance:Instance");
    expect(resized.inputs).toMatchObject({
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key,
    });
    expect(resized.ignoreChanges).toContain("kmsKeyId");
    expect(resized.ignoreChanges).not.toContain("performanceInsightsKmsKeyId");
  });
});
