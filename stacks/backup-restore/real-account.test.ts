// What a real, hardened AWS account does with the backup-restore tier that the mocks would not
// show by themselves: each test pins an input that AWS (not the plan) would reject or act on.
import type { Recording, RawStackConfig } from "@aws-dr/testing";
import { MINIMAL_CONFIG, runnerOf } from "../test-stack";

const base: RawStackConfig = {
  ...MINIMAL_CONFIG,
  "dr:protectData": true,
  "dr:backup": { schedule: "cron(0 */6 ? * * *)", retentionDays: 14 },
  "dr:alerts": { email: "oncall@example.com" },
};
const run = async (overrides: RawStackConfig = {}) =>
  (await runnerOf(base)(overrides)).recorder;

let normal: Recording;
let failedOver: Recording;
beforeAll(async () => {
  normal = await run();
  failedOver = await run({ "dr:failover": true });
});

const inputsOf = (rec: Recording, type: string, name: string) =>
  rec.one(type, name).inputs;

describe("backup-restore on a real account", () => {
  it("names the zones of both networks, so no plan or failover asks a region's EC2 API for them", () => {
    for (const rec of [normal, failedOver]) {
      const vpcs = rec.ofType("awsx:ec2:Vpc");
      expect(
        vpcs.map((v) => [v.region, v.inputs.availabilityZoneNames]),
      ).toEqual([
        ["us-east-1", ["us-east-1a", "us-east-1b"]],
        ["us-west-2", ["us-west-2a", "us-west-2b"]],
      ]);
      for (const vpc of vpcs)
        expect(vpc.inputs).not.toHaveProperty("numberOfAvailabilityZones");
    }
    // Beside the recovery region's APIs, only the state backend: the deployed state it reads.
    expect(
      failedOver.calls
        .filter((c) => c.region !== "us-west-2")
        .map((c) => [c.token, c.inputs]),
    ).toEqual([
      ["pulumi:pulumi:StackReference", { name: "organization/aws-dr/test" }],
    ]);
  });

  it("keeps every existing subnet's range when a zone is added", async () => {
    const grown = await run({
      "dr:network": {
        primaryZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        recoveryZones: ["us-west-2a", "us-west-2b"],
      },
    });
    const blocks = (rec: Recording) =>
      (
        rec.one("awsx:ec2:Vpc", "primary-vpc").inputs.subnetSpecs as {
          cidrBlocks: string[];
        }[]
      ).map((s) => s.cidrBlocks);
    const before = blocks(normal);
    blocks(grown).forEach((zones, i) => {
      expect(zones.slice(0, 2)).toEqual(before[i]);
      expect(zones).toHaveLength(3);
    });
  });

  it("gives the database the retention AWS Backup's continuous rule sets, so no `pulumi up` fights it", () => {
    expect(
      inputsOf(normal, "aws:rds/instance:Instance", "primary-db")
        .backupRetentionPeriod,
    ).toBe(14);
    const continuous = (
      inputsOf(normal, "aws:backup/plan:Plan", "backup").rules as {
        ruleName: string;
        lifecycle: { deleteAfter: number };
      }[]
    ).find((r) => r.ruleName === "continuous");
    expect(continuous?.lifecycle.deleteAfter).toBe(14);
  });

  it("restore-tests into the stack's own networks, never the default VPC, in both regions", () => {
    const rds = normal
      .ofType("aws:backup/restoreTestingSelection:RestoreTestingSelection")
      .filter((s) => s.inputs.protectedResourceType === "RDS");
    expect(
      rds.map((s) => [s.region, s.inputs.restoreMetadataOverrides]).sort(),
    ).toEqual([
      [
        "us-east-1",
        {
          dbSubnetGroupName: "primary-db-subnets",
          vpcSecurityGroupIds: '["primary-db-sg-id"]',
        },
      ],
      [
        "us-west-2",
        {
          dbSubnetGroupName: "recovery-db-subnets",
          vpcSecurityGroupIds: '["recovery-db-sg-id"]',
        },
      ],
    ]);
    const recoveryPlan = normal
      .ofType("aws:backup/restoreTestingPlan:RestoreTestingPlan")
      .find((p) => p.region === "us-west-2");
    expect(recoveryPlan?.inputs.recoveryPointSelection).toMatchObject({
      includeVaults: [
        "arn:aws:backup:us-west-2:123456789012:backup-vault:recovery-vault",
      ],
    });
  });

  it("keeps the recovery network free of NAT gateways until a site runs there", () => {
    const nat = (rec: Recording) =>
      rec.one("awsx:ec2:Vpc", "recovery-vpc").inputs.natGateways;
    expect(nat(normal)).toEqual({ strategy: "None" });
    expect(nat(failedOver)).toEqual({ strategy: "Single" });
  });

  it("puts the project and stack into every name AWS sees, so stacks can share an account", () => {
    const named = normal.resources.filter(
      (r) =>
        r.custom &&
        typeof r.inputs.name === "string" &&
        r.type.startsWith("aws:backup/"),
    );
    expect(named.length).toBe(6);
    for (const r of named) expect(r.inputs.name).toMatch(/^aws_dr_test_\w+$/);
    expect(
      inputsOf(normal, "aws:ec2/amiCopy:AmiCopy", "recovery-ami").name,
    ).toBe("aws-dr-test-ami-0123456789abcdef0");
    expect(
      inputsOf(normal, "aws:rds/instance:Instance", "primary-db")
        .finalSnapshotIdentifier,
    ).toBe("aws-dr-test-primary-db-final");
  });

  it("turns Object Lock on for the existing backup bucket without replacing it", async () => {
    const locked = await run({
      "dr:backup": {
        ...(base["dr:backup"] as object),
        backupBucket: { objectLock: true },
      },
    });
    const bucket = (rec: Recording) =>
      inputsOf(rec, "aws:s3/bucket:Bucket", "backup");
    expect(bucket(locked)).toEqual(bucket(normal));
    expect(bucket(locked)).not.toHaveProperty("objectLockEnabled");
    expect(
      inputsOf(
        locked,
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "backup-object-lock",
      ),
    ).toMatchObject({
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } },
    });
  });

  it("rolls both fleets on a template change: the group follows the template's version number", () => {
    for (const name of ["primary-asg", "recovery-asg"]) {
      const group = inputsOf(failedOver, "aws:autoscaling/group:Group", name);
      expect(group.launchTemplate).toMatchObject({ version: "1" });
    }
  });

  it("upgrades the database's major version in one `pulumi up`: a new parameter group, applied at once", async () => {
    const upgraded = await run({ "dr:database": { engineVersion: "17" } });
    expect(
      inputsOf(
        upgraded,
        "aws:rds/parameterGroup:ParameterGroup",
        "primary-db-params",
      ).family,
    ).toBe("postgres17");
    expect(
      inputsOf(upgraded, "aws:rds/instance:Instance", "primary-db"),
    ).toMatchObject({
      engineVersion: "17",
      allowMajorVersionUpgrade: true,
      applyImmediately: true,
    });
  });

  describe("while failed over", () => {
    it("guards the serving recovery database and ALB like production data until failback releases them", async () => {
      const db = failedOver.one("aws:rds/instance:Instance", "recovery-db");
      expect([db.protect, db.inputs.deletionProtection]).toEqual([true, true]);
      expect(
        inputsOf(failedOver, "aws:lb/loadBalancer:LoadBalancer", "recovery-alb")
          .enableDeletionProtection,
      ).toBe(true);
      const released = await run({
        "dr:failover": true,
        "dr:failback": "release",
      });
      const free = released.one("aws:rds/instance:Instance", "recovery-db");
      expect([free.protect, free.inputs.deletionProtection]).toEqual([
        false,
        false,
      ]);
      expect(free.inputs.skipFinalSnapshot).toBe(false);
    });

    it("backs the serving database up in its own region, copying to the primary's vault, with no new IAM", () => {
      const plan = failedOver.one("aws:backup/plan:Plan", "recovery-backup");
      expect(plan.region).toBe("us-west-2");
      const rules = plan.inputs.rules as {
        targetVaultName: string;
        copyActions: { destinationVaultArn: string }[];
      }[];
      expect(rules[0]).toMatchObject({
        targetVaultName: "recovery-vault",
        copyActions: [
          {
            destinationVaultArn:
              "arn:aws:backup:us-east-1:123456789012:backup-vault:primary-vault",
          },
        ],
      });
      expect(
        inputsOf(
          failedOver,
          "aws:backup/selection:Selection",
          "recovery-backup-selection",
        ),
      ).toMatchObject({
        resources: ["arn:aws:rds:us-west-2:123456789012:db:recovery-db"],
        iamRoleArn: "arn:aws:iam::123456789012:role/backup-role",
      });
      expect(failedOver.ofType("aws:iam/role:Role").length).toBe(
        normal.ofType("aws:iam/role:Role").length,
      );
    });
  });

  it("encrypts fleet volumes and the AMI copy with the stack's keys, usable by its own Auto Scaling role", () => {
    const role = normal.one("aws:iam/serviceLinkedRole:ServiceLinkedRole");
    expect(role.inputs).toMatchObject({
      awsServiceName: "autoscaling.amazonaws.com",
      customSuffix: "aws-dr-test",
    });
    const roleArn = "arn:aws:iam::123456789012:role/autoscaling-role";
    for (const [site, key] of [
      ["primary", "primary-volumes"],
      ["recovery", "recovery-volumes"],
    ]) {
      const keyArn = `arn:aws:kms:${site === "primary" ? "us-east-1" : "us-west-2"}:123456789012:key/${key}`;
      const template = inputsOf(
        failedOver,
        "aws:ec2/launchTemplate:LaunchTemplate",
        `${site}-lt`,
      );
      expect(
        (template.blockDeviceMappings as { ebs: { kmsKeyId: string } }[])[0].ebs
          .kmsKeyId,
      ).toBe(keyArn);
      expect(
        inputsOf(failedOver, "aws:autoscaling/group:Group", `${site}-asg`)
          .serviceLinkedRoleArn,
      ).toBe(roleArn);
      const policy = JSON.parse(
        inputsOf(failedOver, "aws:kms/key:Key", key).policy as string,
      ) as { Statement: { Principal?: { AWS?: string } }[] };
      expect(policy.Statement.some((st) => st.Principal?.AWS === roleArn)).toBe(
        true,
      );
    }
    expect(
      inputsOf(normal, "aws:ec2/amiCopy:AmiCopy", "recovery-ami").kmsKeyId,
    ).toBe("arn:aws:kms:us-west-2:123456789012:key/recovery-volumes");
  });

  it("backs up data only: the database and data bucket, never the fleet's volumes", () => {
    expect(
      inputsOf(normal, "aws:backup/selection:Selection", "backup-selection")
        .resources,
    ).toEqual([
      "arn:aws:rds:us-east-1:123456789012:db:primary-db",
      "arn:aws:s3:::primary-data",
    ]);
    const template = inputsOf(
      normal,
      "aws:ec2/launchTemplate:LaunchTemplate",
      "primary-lt",
    );
    expect(template.tagSpecifications).toBeUndefined();
  });

  it("sends failed backup, copy and restore jobs to an alert topic in each region, mailed to the configured address", () => {
    const topics = normal.ofType("aws:sns/topic:Topic");
    expect(topics.map((t) => t.region)).toEqual(["us-east-1", "us-west-2"]);
    for (const rule of normal.ofType("aws:cloudwatch/eventRule:EventRule")) {
      const target = normal
        .ofType("aws:cloudwatch/eventTarget:EventTarget")
        .find((t) => t.region === rule.region);
      expect(target?.inputs.arn).toBe(
        `arn:aws:sns:${rule.region}:123456789012:topic/${rule.region === "us-east-1" ? "primary" : "recovery"}-alerts`,
      );
    }
    expect(
      normal
        .ofType("aws:sns/topicSubscription:TopicSubscription")
        .map((s) => [s.region, s.inputs.endpoint]),
    ).toEqual([
      ["us-east-1", "oncall@example.com"],
      ["us-west-2", "oncall@example.com"],
    ]);
  });

  it("logs S3 and ALB access into an SSE-S3 log bucket of the same region", () => {
    for (const [bucket, logs] of [
      ["primary-data", "primary-logs"],
      ["backup", "recovery-logs"],
    ]) {
      expect(
        inputsOf(
          failedOver,
          "aws:s3/bucketLogging:BucketLogging",
          `${bucket}-access-logs`,
        ).targetBucket,
      ).toBe(logs);
    }
    for (const [alb, logs] of [
      ["primary-alb", "primary-logs"],
      ["recovery-alb", "recovery-logs"],
    ]) {
      expect(
        inputsOf(failedOver, "aws:lb/loadBalancer:LoadBalancer", alb)
          .accessLogs,
      ).toMatchObject({ bucket: logs, enabled: true });
    }
    for (const logs of ["primary-logs", "recovery-logs"]) {
      const sse = inputsOf(
        normal,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        `${logs}-sse`,
      );
      expect(sse.rules).toEqual([
        expect.objectContaining({
          applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
        }),
      ]);
    }
  });
});
