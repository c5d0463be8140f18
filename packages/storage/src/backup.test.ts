import * as aws from "@pulumi/aws";
import { record } from "@aws-dr/testing";
import { BackupAlerts } from "./backup-alerts";
import { BackupPlan, backupRules, type BackupPlanArgs } from "./backup-plan";
import { BackupVault } from "./backup-vault";
import {
  RestoreTesting,
  rdsRestoreOverrides,
  restoreTestingName,
  type RestoreTestingArgs,
} from "./restore-testing";

const planArgs: BackupPlanArgs = {
  vaultName: "primary-vault",
  copyVaultArn:
    "arn:aws:backup:us-west-2:123456789012:backup-vault:recovery-vault",
  schedule: "cron(0 */4 ? * * *)",
  retentionDays: 120,
  coldStorageAfterDays: 30,
  copyRetentionDays: 60,
  continuousBackup: true,
  resourceArns: [
    "arn:aws:rds:us-east-1:123456789012:db:primary-db",
    "arn:aws:s3:::primary-data",
  ],
};

describe("backupRules", () => {
  it("backs up on the schedule, keeps, cools and copies to the recovery-region vault", () => {
    const [scheduled] = backupRules(planArgs) as unknown as Record<
      string,
      unknown
    >[];
    expect(scheduled).toMatchObject({
      targetVaultName: "primary-vault",
      schedule: "cron(0 */4 ? * * *)",
      lifecycle: { deleteAfter: 120, coldStorageAfter: 30 },
      copyActions: [
        {
          destinationVaultArn: expect.stringContaining(":us-west-2:"),
          lifecycle: { deleteAfter: 60 },
        },
      ],
    });
  });

  it("adds continuous backup kept at most 35 days, only when enabled", () => {
    const rules = backupRules(planArgs) as unknown as Record<string, unknown>[];
    expect(rules[1]).toMatchObject({
      enableContinuousBackup: true,
      lifecycle: { deleteAfter: 35 },
    });
    expect(backupRules({ ...planArgs, continuousBackup: false })).toHaveLength(
      1,
    );
  });
});

describe("BackupPlan", () => {
  const build = (args: BackupPlanArgs) =>
    record(
      () =>
        new BackupPlan("backup", args, {
          provider: new aws.Provider("p", { region: "us-east-1" }),
        }),
    );

  it("selects by ARN only (no tags: they travel to restored copies), running as a role with AWS's backup and restore policies", async () => {
    const rec = await build(planArgs);
    expect(rec.one("aws:backup/selection:Selection").inputs).toMatchObject({
      iamRoleArn: "arn:aws:iam::123456789012:role/backup-role",
      resources: planArgs.resourceArns,
    });
    expect(rec.one("aws:backup/selection:Selection").inputs).not.toHaveProperty(
      "selectionTags",
    );
    expect(rec.one("aws:iam/role:Role").inputs.assumeRolePolicy).toMatchObject({
      Statement: [
        expect.objectContaining({
          Principal: { Service: "backup.amazonaws.com" },
        }),
      ],
    });
    const policies = rec
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .map((a) => a.inputs.policyArn);
    expect(policies).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
    ]);
  });

  it("runs as a given role without creating any IAM", async () => {
    const rec = await build({
      ...planArgs,
      roleArn: "arn:aws:iam::123456789012:role/existing-backup",
    });
    const selection = rec.one("aws:backup/selection:Selection").inputs;
    expect(selection).toMatchObject({
      iamRoleArn: "arn:aws:iam::123456789012:role/existing-backup",
      resources: planArgs.resourceArns,
    });
    expect(rec.resources.filter((r) => r.type.startsWith("aws:iam/"))).toEqual(
      [],
    );
  });
});

describe("BackupVault", () => {
  it("encrypts with its own KMS key and is locked exactly when a lock is configured", async () => {
    const lock = {
      minRetentionDays: 7,
      maxRetentionDays: 365,
      changeableForDays: 3,
    };
    const locked = await record(
      () => new BackupVault("v", { lock, protect: true }),
    );
    expect(locked.one("aws:backup/vault:Vault")).toMatchObject({
      protect: true,
      inputs: {
        kmsKeyArn: expect.stringContaining(":key/v-key"),
        forceDestroy: false,
      },
    });
    expect(
      locked.one("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
        .inputs,
    ).toMatchObject(lock);
    const open = await record(() => new BackupVault("v", { protect: false }));
    expect(
      open.ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration"),
    ).toHaveLength(0);
  });
});

describe("RestoreTesting", () => {
  const args: RestoreTestingArgs = {
    vaultArn: "vault-arn",
    roleArn: "role-arn",
    schedule: "cron(0 8 ? * SAT *)",
    selectionWindowDays: 7,
    startWindowHours: 24,
    validationWindowHours: 4,
    targets: [
      {
        type: "RDS",
        arn: "db-arn",
        overrides: rdsRestoreOverrides("site-db-subnets", "sg-db"),
      },
      { type: "S3", arn: "bucket-arn" },
    ],
  };

  it("restores the newest recovery point of the database and bucket on a schedule, under stack-unique names", async () => {
    const rec = await record(() => new RestoreTesting("restore-test", args));
    const plan = rec.one(
      "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    ).inputs;
    expect(plan).toMatchObject({
      name: "aws_dr_test_restore_test",
      scheduleExpression: "cron(0 8 ? * SAT *)",
      recoveryPointSelection: {
        algorithm: "LATEST_WITHIN_WINDOW",
        includeVaults: ["vault-arn"],
        selectionWindowDays: 7,
      },
    });
    const selection = (suffix: string) =>
      rec.one(
        "aws:backup/restoreTestingSelection:RestoreTestingSelection",
        suffix,
      ).inputs;
    expect(selection("-rds")).toMatchObject({
      name: "aws_dr_test_restore_test_rds",
      protectedResourceType: "RDS",
      protectedResourceArns: ["db-arn"],
    });
    expect(selection("-s3")).toMatchObject({
      name: "aws_dr_test_restore_test_s3",
      protectedResourceType: "S3",
      protectedResourceArns: ["bucket-arn"],
    });
  });

  it("restores test databases into the given subnet group and security group", async () => {
    const rec = await record(() => new RestoreTesting("restore-test", args));
    const type = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
    const rds = rec.one(type, "-rds").inputs;
    expect(rds.restoreMetadataOverrides).toEqual({
      dbSubnetGroupName: "site-db-subnets",
      vpcSecurityGroupIds: '["sg-db"]',
    });
    expect(
      JSON.parse(
        (rds.restoreMetadataOverrides as Record<string, string>)
          .vpcSecurityGroupIds,
      ),
    ).toEqual(["sg-db"]);
    expect(rec.one(type, "-s3").inputs).not.toHaveProperty(
      "restoreMetadataOverrides",
    );
  });

  it("replaces a selection, deleting it first, when what it protects changes: the provider's update never reaches AWS", async () => {
    const rec = await record(() => new RestoreTesting("restore-test", args));
    const type = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
    for (const suffix of ["-rds", "-s3"]) {
      const selection = rec.one(type, suffix);
      expect(selection.replaceOnChanges).toEqual(["protectedResourceArns"]);
      // Its name is fixed, so a replacement created before the old one's deletion would collide.
      expect(selection.deleteBeforeReplace).toBe(true);
    }
    // The plan itself changes in place as before.
    expect(
      rec.one("aws:backup/restoreTestingPlan:RestoreTestingPlan")
        .deleteBeforeReplace,
    ).toBe(false);
  });

  it("names with letters, digits and underscores only, at most 50 characters", async () => {
    let name = "";
    await record(() => {
      name = restoreTestingName(
        "a-very-long-restore-testing-selection-name.for-rds",
      );
    });
    expect(name).toMatch(/^aws_dr_test_[A-Za-z0-9_]+$/);
    expect(name.length).toBeLessThanOrEqual(50);
  });
});

describe("BackupAlerts", () => {
  it("sends failed, partial and aborted backup, copy and restore jobs to the alert topic", async () => {
    const rec = await record(
      () => new BackupAlerts("backup-alerts", { topicArn: "topic-arn" }),
    );
    const rule = rec.one("aws:cloudwatch/eventRule:EventRule");
    expect(JSON.parse(rule.inputs.eventPattern as string)).toEqual({
      source: ["aws.backup"],
      $or: [
        {
          "detail-type": ["Backup Job State Change"],
          detail: { state: ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] },
        },
        {
          "detail-type": ["Copy Job State Change"],
          detail: { state: ["FAILED", "PARTIAL"] },
        },
        {
          "detail-type": ["Restore Job State Change"],
          detail: { status: ["FAILED", "ABORTED"] },
        },
      ],
    });
    expect(
      rec.one("aws:cloudwatch/eventTarget:EventTarget").inputs,
    ).toMatchObject({ rule: "backup-alerts", arn: "topic-arn" });
  });
});
