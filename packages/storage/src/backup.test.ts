import { Provider } from "@pulumi/aws/provider";
import { record } from "@aws-dr/testing";
import { BackupAlerts } from "./backup-alerts";
import {
  planControls,
  resourceControls,
  auditName,
  BackupAudit,
  frequencyParameters,
  type AuditedResource,
  type BackupPromises,
} from "./backup-audit";
import { BackupPlan, backupRules, type BackupPlanArgs } from "./backup-plan";
import { BackupVault } from "./backup-vault";
import { IsolatedVault } from "./isolated-vault";

const LAG_VAULT = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";
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
          provider: new Provider("p", { region: "us-east-1" }),
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

describe("the isolated copy", () => {
  const isolated = {
    vaultArn:
      "arn:aws:backup:us-west-2:123456789012:backup-vault:aws-dr-prod-isolated",
    retentionDays: 30,
  };
  type Rule = {
    ruleName: string;
    copyActions: {
      destinationVaultArn: string;
      lifecycle: { deleteAfter: number };
    }[];
  };

  it("is a second copy action of every rule, scheduled and continuous, straight from this region's vault", () => {
    const rules = backupRules({
      ...planArgs,
      isolatedCopy: isolated,
    }) as unknown as Rule[];
    expect(rules.map((r) => r.ruleName)).toEqual(["scheduled", "continuous"]);
    for (const rule of rules)
      expect(rule.copyActions).toEqual([
        {
          destinationVaultArn: planArgs.copyVaultArn,
          lifecycle: { deleteAfter: planArgs.copyRetentionDays },
        },
        {
          destinationVaultArn: isolated.vaultArn,
          lifecycle: { deleteAfter: 30 },
        },
      ]);
    // Without it the rules are what they were: turning it on or off edits the plan's rules in place.
    const without = backupRules(planArgs) as unknown as Rule[];
    expect(without.map((r) => r.copyActions.length)).toEqual([1, 1]);
    expect(without.map(({ copyActions: _copies, ...rest }) => rest)).toEqual(
      rules.map(({ copyActions: _copies, ...rest }) => rest),
    );
  });

  it("lands in a logically air-gapped vault under the AWS-owned key, protected and kept when protect is on", async () => {
    const rec = await record(
      () =>
        new IsolatedVault("isolated-vault", {
          name: "aws-dr-prod-isolated",
          minRetentionDays: 7,
          maxRetentionDays: 3650,
          protect: true,
        }),
    );
    const vault = rec.one(LAG_VAULT);
    expect(vault.inputs).toEqual({
      name: "aws-dr-prod-isolated",
      minRetentionDays: 7,
      maxRetentionDays: 3650,
    });
    expect(vault).toMatchObject({ protect: true, retainOnDelete: true });
    expect(rec.resources.filter((r) => r.type.startsWith("aws:ram/"))).toEqual(
      [],
    );
  });

  it("is shared with the recovery account through AWS RAM only when one is named, which may be outside the organization, and is retained on delete even unguarded", async () => {
    const rec = await record(
      () =>
        new IsolatedVault("isolated-vault", {
          name: "n",
          minRetentionDays: 7,
          maxRetentionDays: 35,
          shareWithAccountId: "210987654321",
          protect: false,
        }),
    );
    expect(rec.one(LAG_VAULT)).toMatchObject({
      protect: false,
      retainOnDelete: true,
    });
    expect(rec.one("aws:ram/resourceShare:ResourceShare").inputs).toMatchObject(
      {
        allowExternalPrincipals: true,
      },
    );
    expect(
      rec.one("aws:ram/resourceAssociation:ResourceAssociation").inputs,
    ).toMatchObject({
      resourceArn: expect.stringContaining(":backup-vault:isolated-vault"),
    });
    expect(
      rec.one("aws:ram/principalAssociation:PrincipalAssociation").inputs,
    ).toMatchObject({
      principal: "210987654321",
    });
  });
});

describe("Audit Manager", () => {
  const promises: BackupPromises = {
    intervalHours: 1,
    minRetentionDays: 35,
    copyRegion: "us-west-2",
    vaultLock: true,
    isolatedCopy: true,
  };
  const resources: AuditedResource[] = [
    { type: "RDS", id: "db-ABCDEFGHIJ", label: "database" },
    { type: "S3", id: "primary-data", label: "data" },
  ];
  /** Every framework's controls: the plans', then each resource's. */
  const auditControls = (
    p: BackupPromises,
    r: AuditedResource[],
    t: Record<string, string>,
  ) => [...planControls(p, t), ...r.flatMap((x) => resourceControls(p, x))];
  const tag = { environment: "prod" };
  const names = (controls: { name: unknown }[]) => [
    ...new Set(controls.map((c) => c.name)),
  ];
  type Control = {
    name: string;
    inputParameters: { name: string; value: string }[];
    scope: Record<string, unknown>;
  };
  const params = (controls: Control[], name: string) =>
    controls
      .filter((c) => c.name === name)
      .map((c) =>
        Object.fromEntries(c.inputParameters.map((p) => [p.name, p.value])),
      );

  it("checks every promise the stack makes, and only those it makes", () => {
    const all = auditControls(promises, resources, tag) as Control[];
    expect(names(all)).toEqual([
      "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
      "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
      "BACKUP_RECOVERY_POINT_ENCRYPTED",
      "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
      "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
      "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
      "RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT",
    ]);
    // A framework takes each control once: one per resource.
    for (const r of resources) {
      const own = (resourceControls(promises, r) as Control[]).map(
        (c) => c.name,
      );
      expect(new Set(own).size).toBe(own.length);
    }
    const unlocked = auditControls(
      { ...promises, vaultLock: false, isolatedCopy: false },
      resources,
      tag,
    ) as Control[];
    expect(names(unlocked)).toEqual(names(all).slice(0, 5));
    expect(
      params(all, "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"),
    ).toEqual([
      {
        requiredFrequencyUnit: "hours",
        requiredFrequencyValue: "1",
        requiredRetentionDays: "35",
      },
    ]);
    expect(params(all, "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION")).toEqual([
      { crossRegionList: "us-west-2" },
      { crossRegionList: "us-west-2" },
    ]);
    expect(params(all, "RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT")[0]).toEqual({
      recoveryPointAgeUnit: "hours",
      recoveryPointAgeValue: "24",
    });
    expect(frequencyParameters(48)).toEqual({
      requiredFrequencyUnit: "days",
      requiredFrequencyValue: 2,
    });
  });

  it("scopes plans and vaults to the stack's tag and resources one by one, so another stack in the account is not judged", () => {
    const all = auditControls(promises, resources, tag) as Control[];
    expect(
      all.find(
        (c) => c.name === "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
      )?.scope,
    ).toEqual({ tags: tag });
    expect(
      all
        .filter((c) => c.name === "BACKUP_RECOVERY_POINT_ENCRYPTED")
        .map((c) => c.scope),
    ).toEqual([
      {
        complianceResourceTypes: ["RDS"],
        complianceResourceIds: ["db-ABCDEFGHIJ"],
      },
      {
        complianceResourceTypes: ["S3"],
        complianceResourceIds: ["primary-data"],
      },
    ]);
  });

  it("reports daily into an Object-Locked bucket that only Audit Manager's role may write to, under stack-unique names", async () => {
    const rec = await record(
      () =>
        new BackupAudit("backup-audit", {
          promises,
          resources,
          stackTag: tag,
          accountId: "123456789012",
          accessLogBucket: "logs",
          reportObjectLockDays: 365,
          protect: true,
        }),
    );
    const frameworks = rec.ofType("aws:backup/framework:Framework");
    expect(frameworks.map((f) => f.inputs.name)).toEqual([
      auditName("backup-audit"),
      auditName("backup-audit-database"),
      auditName("backup-audit-data"),
    ]);
    for (const f of frameworks) {
      expect(f.inputs.name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      const names = (f.inputs.controls as { name: string }[]).map(
        (c) => c.name,
      );
      expect(new Set(names).size).toBe(names.length);
    }
    const reports = rec.ofType("aws:backup/reportPlan:ReportPlan");
    expect(
      reports.map(
        (r) =>
          (r.inputs.reportSetting as { reportTemplate: string }).reportTemplate,
      ),
    ).toEqual(
      expect.arrayContaining(["CONTROL_COMPLIANCE_REPORT", "COPY_JOB_REPORT"]),
    );
    expect(reports).toHaveLength(2);
    // The compliance report covers every framework.
    expect(
      reports
        .map((r) => r.inputs.reportSetting as { frameworkArns?: string[] })
        .find((r) => r.frameworkArns)?.frameworkArns,
    ).toHaveLength(3);
    for (const r of reports) {
      expect(r.inputs.name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      expect(r.inputs.reportDeliveryChannel).toMatchObject({
        s3BucketName: "backup-audit-reports",
      });
    }
    expect(
      rec.one(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      ).inputs,
    ).toMatchObject({
      rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } },
    });
    const policy = rec.one("aws:s3/bucketPolicy:BucketPolicy").inputs
      .policy as {
      Statement: {
        Sid?: string;
        Action: string;
        Condition?: Record<string, Record<string, string>>;
      }[];
    };
    const grant = policy.Statement.find(
      (s) => s.Sid === "BackupAuditManagerDeliversReports",
    );
    expect(grant?.Action).toBe("s3:PutObject");
    expect(grant?.Condition?.ArnEquals["aws:PrincipalArn"]).toMatch(
      /:role\/aws-service-role\/reports\.backup\.amazonaws\.com\/AWSServiceRoleForBackupReports$/,
    );
    expect(rec.one("aws:s3/bucket:Bucket")).toMatchObject({ protect: true });
  });
});
