import * as aws from "@pulumi/aws";
import { record } from "@aws-dr/testing";
import { BackupPlan, backupRules, type BackupPlanArgs } from "./backup-plan";
import { BackupVault } from "./backup-vault";
import { RestoreTesting } from "./restore-testing";

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
  selectionTag: { key: "aws-dr:backup", value: "true" },
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
  it("selects by ARN and by tag, running as a role with AWS's backup and restore policies", async () => {
    const rec = await record(
      () =>
        new BackupPlan("backup", planArgs, {
          provider: new aws.Provider("p", { region: "us-east-1" }),
        }),
    );
    expect(rec.one("aws:backup/selection:Selection").inputs).toMatchObject({
      resources: planArgs.resourceArns,
      selectionTags: [
        { type: "STRINGEQUALS", key: "aws-dr:backup", value: "true" },
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
  it("restores the newest recovery point of the database and bucket on a schedule, with AWS-valid names", async () => {
    const rec = await record(
      () =>
        new RestoreTesting("restore-test", {
          vaultArn: "vault-arn",
          roleArn: "role-arn",
          schedule: "cron(0 8 ? * SAT *)",
          selectionWindowDays: 7,
          startWindowHours: 24,
          validationWindowHours: 4,
          targets: [
            { type: "RDS", arn: "db-arn" },
            { type: "S3", arn: "bucket-arn" },
          ],
        }),
    );
    const plan = rec.one(
      "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    ).inputs;
    expect(plan).toMatchObject({
      name: "restore_test",
      scheduleExpression: "cron(0 8 ? * SAT *)",
      recoveryPointSelection: {
        algorithm: "LATEST_WITHIN_WINDOW",
        includeVaults: ["vault-arn"],
        selectionWindowDays: 7,
      },
    });
    const selections = rec
      .ofType("aws:backup/restoreTestingSelection:RestoreTestingSelection")
      .map((s) => s.inputs);
    expect(
      selections.map((s) => [
        s.name,
        s.protectedResourceType,
        s.protectedResourceArns,
      ]),
    ).toEqual([
      ["restore_test_rds", "RDS", ["db-arn"]],
      ["restore_test_s3", "S3", ["bucket-arn"]],
    ]);
    for (const s of selections) expect(s.name).toMatch(/^[A-Za-z0-9_]+$/);
  });
});
