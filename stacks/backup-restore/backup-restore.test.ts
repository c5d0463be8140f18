import type { RecordedResource, RawStackConfig } from "@aws-dr/testing";
import { MINIMAL_CONFIG, runnerOf } from "../test-stack";

const base: RawStackConfig = {
  ...MINIMAL_CONFIG,
  "dr:protectData": true,
  "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
  "dr:backup": {
    schedule: "cron(0 */6 ? * * *)",
    vaultLock: {
      minRetentionDays: 7,
      maxRetentionDays: 365,
      changeableForDays: 3,
    },
  },
};

const run = runnerOf(base);
const DATA = [
  "aws:s3/bucket:Bucket",
  "aws:rds/instance:Instance",
  "aws:kms/key:Key",
  "aws:backup/vault:Vault",
];
/** The failover site's resources: named recovery or recovery-*, other than the vault that always exists. */
const isRecoverySite = (r: RecordedResource) =>
  /^recovery(-(?!vault)|$)/.test(r.name) && r.type !== "pulumi:providers:aws";
const primarySide = (resources: RecordedResource[]) =>
  resources.filter((r) => r.region === "us-east-1");

describe("backup-restore tier", () => {
  it("keeps a KMS-encrypted, locked vault in each region and copies every recovery point across", async () => {
    const { recorder } = await run();
    const vaults = recorder.ofType("aws:backup/vault:Vault");
    expect(vaults.map((v) => v.region)).toEqual(["us-east-1", "us-west-2"]);
    expect(
      recorder.ofType(
        "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
      ),
    ).toHaveLength(2);
    const rules = recorder.one("aws:backup/plan:Plan").inputs.rules as {
      schedule: string;
      copyActions: { destinationVaultArn: string }[];
    }[];
    for (const rule of rules) {
      expect(rule.schedule).toBe("cron(0 */6 ? * * *)");
      expect(rule.copyActions[0].destinationVaultArn).toBe(
        "arn:aws:backup:us-west-2:123456789012:backup-vault:recovery-vault",
      );
    }
  });

  it("has no vault lock unless configured", async () => {
    const { recorder } = await run({ "dr:backup": {} });
    expect(
      recorder.ofType(
        "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
      ),
    ).toHaveLength(0);
  });

  it("backs up the primary database and data bucket by ARN and tests restoring both", async () => {
    const { recorder } = await run();
    expect(
      recorder.one("aws:backup/selection:Selection").inputs.resources,
    ).toEqual([
      "arn:aws:rds:us-east-1:123456789012:db:primary-db",
      "arn:aws:s3:::primary-data",
    ]);
    const tested = recorder
      .ofType("aws:backup/restoreTestingSelection:RestoreTestingSelection")
      .map((s) => [s.region, s.inputs.protectedResourceType])
      .sort();
    // The primary's own recovery points, and the copies a failover would restore.
    expect(tested).toEqual([
      ["us-east-1", "RDS"],
      ["us-east-1", "S3"],
      ["us-west-2", "RDS"],
      ["us-west-2", "S3"],
    ]);
  });

  it("replicates the data bucket into a recovery-region backup bucket encrypted with a recovery-region key", async () => {
    const { recorder } = await run();
    const backupBucket = recorder.one("aws:s3/bucket:Bucket", "backup");
    expect(backupBucket.region).toBe("us-west-2");
    const destination = (
      recorder.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
        .inputs.rules as { destination: Record<string, unknown> }[]
    )[0].destination;
    expect(destination).toMatchObject({
      bucket: "arn:aws:s3:::backup",
      encryptionConfiguration: {
        replicaKmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/backup-key",
      },
    });
  });

  it("copies the primary AMI to the recovery region ahead of need unless one is configured", async () => {
    const copied = (await run()).recorder.one("aws:ec2/amiCopy:AmiCopy");
    expect(copied).toMatchObject({
      region: "us-west-2",
      inputs: {
        sourceAmiId: "ami-0123456789abcdef0",
        sourceAmiRegion: "us-east-1",
        encrypted: true,
      },
    });
    const given = await run({
      "dr:app": {
        amiId: "ami-0123456789abcdef0",
        recoveryAmiId: "ami-0fedcba9876543210",
      },
    });
    expect(given.recorder.ofType("aws:ec2/amiCopy:AmiCopy")).toHaveLength(0);
  });

  it("runs nothing but backups in the recovery region before failover", async () => {
    const { recorder, outputs } = await run();
    expect(
      recorder.ofType("aws:autoscaling/group:Group").map((g) => g.region),
    ).toEqual(["us-east-1"]);
    expect(outputs).toMatchObject({
      servingRegion: "us-east-1",
      // Every 6 hours plus the copy's assumed hour (recovery-model.ts).
      estimatedRpoMinutes: 420,
    });
  });

  describe("on failover", () => {
    it("adds network, ALB, fleet and a restored database, only in the recovery region", async () => {
      const before = await run();
      const { recorder } = await run({ "dr:failover": true });
      const existing = new Set(before.recorder.resources.map((r) => r.urn));
      const added = recorder.resources.filter((r) => !existing.has(r.urn));
      expect(new Set(added.map((r) => r.region))).toEqual(
        new Set(["us-west-2"]),
      );
      // The recovery network is there already; failover adds the site on it.
      expect(added.map((r) => r.type)).toEqual(
        expect.arrayContaining([
          "aws:lb/loadBalancer:LoadBalancer",
          "aws:autoscaling/group:Group",
          "aws:rds/instance:Instance",
        ]),
      );
      // IAM is global with its control plane in us-east-1: nothing IAM may wait for failover.
      expect(added.filter((r) => r.type.startsWith("aws:iam/"))).toEqual([]);
      expect(
        recorder.one("aws:autoscaling/group:Group", "recovery-asg").inputs,
      ).toMatchObject({ minSize: 2, maxSize: 4 });
      const template = recorder.one(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "recovery-lt",
      ).inputs;
      expect(template).toMatchObject({
        imageId: "recovery-ami-id",
        iamInstanceProfile: {
          arn: expect.stringContaining("recovery-instance-profile"),
        },
      });
    });

    it("on failback removes the recovery site, snapshotting its database, and touches nothing else", async () => {
      const on = await run({ "dr:failover": true });
      const off = await run();
      const remaining = new Set(off.recorder.resources.map((r) => r.urn));
      const removed = on.recorder.resources.filter(
        (r) => !remaining.has(r.urn),
      );
      expect(new Set(removed.map((r) => r.region))).toEqual(
        new Set(["us-west-2"]),
      );
      const data = removed.filter((r) => DATA.includes(r.type));
      // The key outlives the database: the final snapshot is encrypted with it.
      expect(
        data.map((r) => [r.name, r.inputs.skipFinalSnapshot, r.retainOnDelete]),
      ).toEqual([
        ["recovery-db-key", undefined, true],
        ["recovery-db", false, true],
      ]);
    });

    it("restores the newest finished AWS Backup copy in the recovery region, at the snapshot's size and key", async () => {
      const { recorder } = await run({ "dr:failover": true });
      const lookup = recorder.calls.find(
        (c) => c.token === "aws:rds/getSnapshots:getSnapshots",
      );
      expect(lookup).toMatchObject({
        region: "us-west-2",
        inputs: {
          snapshotType: "awsbackup",
          dbInstanceIdentifier: "primary-db",
        },
      });
      // The mock's newest copy is still "creating": RDS cannot restore it.
      const db = recorder.one("aws:rds/instance:Instance", "recovery-db");
      expect(db.inputs.snapshotIdentifier).toBe(
        "arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup-copy-us-west-2-newest-finished",
      );
      // Failback deletes it only after a final snapshot named after the stack and the restored snapshot.
      expect(db.inputs).toMatchObject({
        skipFinalSnapshot: false,
        finalSnapshotIdentifier:
          "aws-dr-test-recovery-db-final-from-awsbackup-copy-us-west-2-newest-finished",
      });
      expect(db.inputs).not.toHaveProperty("allocatedStorage");
    });

    it("restores a named snapshot without any lookup when dr:database.restoreSnapshot is set", async () => {
      const { recorder } = await run({
        "dr:failover": true,
        "dr:database": { restoreSnapshot: "my-snap" },
      });
      expect(
        recorder.calls.filter(
          (c) => c.token === "aws:rds/getSnapshots:getSnapshots",
        ),
      ).toHaveLength(0);
      expect(
        recorder.one("aws:rds/instance:Instance", "recovery-db").inputs
          .snapshotIdentifier,
      ).toBe("my-snap");
    });

    it("points DNS at the recovery ALB", async () => {
      const { recorder, outputs } = await run({ "dr:failover": true });
      // Managed through the recovery provider, which failover needs anyway.
      expect(recorder.one("aws:route53/record:Record").region).toBe(
        "us-west-2",
      );
      expect(recorder.one("aws:route53/record:Record").inputs.aliases).toEqual([
        expect.objectContaining({
          name: "recovery-alb.us-west-2.elb.amazonaws.com",
        }),
      ]);
      expect(outputs).toMatchObject({
        servingRegion: "us-west-2",
        databaseAddress: "recovery-db.us-west-2.rds.amazonaws.com",
      });
    });

    it("leaves every primary-region resource and data input exactly as it was, and calls nothing there", async () => {
      const before = await run();
      const after = await run({ "dr:failover": true });
      const view = (rs: RecordedResource[]) =>
        primarySide(rs).map((r) => ({
          urn: r.urn,
          inputs: r.inputs,
          protect: r.protect,
        }));
      expect(view(after.recorder.resources)).toEqual(
        view(before.recorder.resources),
      );
      const data = (rs: RecordedResource[]) =>
        rs
          .filter((r) => DATA.includes(r.type) && !isRecoverySite(r))
          .map((r) => [r.urn, r.inputs]);
      expect(data(after.recorder.resources)).toEqual(
        data(before.recorder.resources),
      );
      expect(
        after.recorder.calls.filter((c) => c.region === "us-east-1"),
      ).toEqual([]);
    });
  });
});
