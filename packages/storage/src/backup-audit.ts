import * as pulumi from "@pulumi/pulumi";
import * as backup from "@pulumi/aws/backup";
import type * as iam from "@pulumi/aws/iam";
import {
  accountRootStatement,
  createEncryptionKey,
  physicalName,
  policyJson,
} from "@aws-dr/aws-kit";
import { SecureBucket } from "./secure-bucket";

/** What the stack promises of its backups, which the framework's controls check. */
export interface BackupPromises {
  /** Hours between scheduled backups (rounded up). */
  intervalHours: number;
  /** Days every recovery point of this region is kept at least. */
  minRetentionDays: number;
  /** The region every recovery point is copied to. */
  copyRegion: string;
  /** The vaults are under Vault Lock. */
  vaultLock: boolean;
  /** Every recovery point is also copied to a logically air-gapped vault. */
  isolatedCopy: boolean;
}

/** A protected resource, as AWS Config names it: RDS by its DbiResourceId, S3 by bucket name. */
export interface AuditedResource {
  type: "RDS" | "Aurora" | "S3";
  id: pulumi.Input<string>;
  /** Names its framework: what the resource is to the stack ("database", "data"). */
  label: string;
}

type Control =
  backup.FrameworkArgs["controls"] extends pulumi.Input<(infer C)[]>
    ? C
    : never;

const parameters = (values: Record<string, string | number>) =>
  Object.entries(values).map(([name, value]) => ({
    name,
    value: String(value),
  }));

/** AWS Backup Audit Manager's frequency parameter: hours up to 24, else days (at most 31). */
export function frequencyParameters(intervalHours: number) {
  return intervalHours <= 24
    ? { requiredFrequencyUnit: "hours", requiredFrequencyValue: intervalHours }
    : {
        requiredFrequencyUnit: "days",
        requiredFrequencyValue: Math.min(31, Math.ceil(intervalHours / 24)),
      };
}

/**
 * The stack's plans' controls (frequency, retention), by the stack's environment tag, which every
 * resource of the stack's providers carries. No control for manual deletion of recovery points:
 * AWS Config's rule for it wants a vault access policy denying PutBackupVaultAccessPolicy too,
 * which would lock the stack out of its own vaults; Vault Lock is what prevents deletion here, and
 * BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK checks it.
 */
export function planControls(
  promises: BackupPromises,
  stackTag: Record<string, string>,
): Control[] {
  return [
    {
      name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
      inputParameters: parameters({
        ...frequencyParameters(promises.intervalHours),
        requiredRetentionDays: promises.minRetentionDays,
      }),
      scope: { tags: stackTag },
    },
  ];
}

/**
 * One protected resource's controls, scoped to it alone (a control takes one resource type and
 * id; a tag would also take in the stack's log buckets and fleet, deliberately not backed up).
 * A framework holds each control once, so each resource has a framework of its own. Vault lock
 * and the air-gapped copy only where promised.
 */
export function resourceControls(
  promises: BackupPromises,
  resource: AuditedResource,
): Control[] {
  const control = (
    name: string,
    values: Record<string, string | number> = {},
  ) => ({
    name,
    inputParameters: parameters(values),
    scope: {
      complianceResourceTypes: [resource.type],
      complianceResourceIds: [resource.id],
    },
  });
  return [
    control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"),
    control("BACKUP_RECOVERY_POINT_ENCRYPTED"),
    control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", {
      requiredRetentionDays: promises.minRetentionDays,
    }),
    control("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", {
      crossRegionList: promises.copyRegion,
    }),
    ...(promises.vaultLock
      ? [control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK")]
      : []),
    // The copy waits for the backup and the copy job: twice the interval, at least a day.
    ...(promises.isolatedCopy
      ? [
          control("RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", {
            recoveryPointAgeUnit: "hours",
            recoveryPointAgeValue: Math.max(24, 2 * promises.intervalHours),
          }),
        ]
      : []),
  ];
}

/** Audit Manager names: letters, digits and underscores, starting with a letter, unique per stack. */
export function auditName(name: string): string {
  return physicalName(pulumi.getStack(), name, {
    style: "underscore",
    maxLength: 256,
  });
}

/** The report templates delivered daily: control compliance, and the copy jobs (isolated copies). */
export const REPORT_TEMPLATES = [
  "CONTROL_COMPLIANCE_REPORT",
  "COPY_JOB_REPORT",
] as const;

export interface BackupAuditArgs {
  promises: BackupPromises;
  resources: AuditedResource[];
  /** The stack's environment tag (key and value) its plans and vaults carry. */
  stackTag: Record<string, string>;
  accountId: pulumi.Input<string>;
  /** This region's S3 access-log bucket, for the report bucket. */
  accessLogBucket: pulumi.Input<string>;
  /** Days S3 Object Lock (compliance mode) keeps each report. */
  reportObjectLockDays: number;
  /** Pulumi protect on the report bucket and its key. */
  protect: boolean;
}

/**
 * AWS Backup Audit Manager for this region: a framework whose controls check what the stack promises
 * of its backups, and report plans delivering daily reports into an Object-Locked bucket, so the
 * evidence cannot be rewritten. Needs an AWS Config recorder in the region (not made here).
 */
export class BackupAudit extends pulumi.ComponentResource {
  /** The plans' framework, then one per protected resource. */
  readonly frameworkArns: pulumi.Output<string[]>;
  readonly reportBucket: SecureBucket;

  constructor(
    name: string,
    args: BackupAuditArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:BackupAudit", name, {}, opts);
    const parent = { parent: this };
    const framework = (
      frameworkName: string,
      description: string,
      controls: Control[],
    ) => {
      const created = new backup.Framework(
        frameworkName,
        { name: auditName(frameworkName), description, controls },
        parent,
      );
      // The provider waits for COMPLETED or FAILED alike: a framework that failed to deploy (no
      // AWS Config recorder in the region) would otherwise pass unnoticed. A warning, not an
      // error: a run reads the status from the state, so an error would block every later run,
      // a disaster day's failover included, for an audit in the primary region.
      return pulumi
        .all([created.arn, created.deploymentStatus])
        .apply(([arn, status]) => {
          if (status === "FAILED")
            void pulumi.log.warn(
              `AWS Backup Audit Manager framework ${frameworkName} failed to deploy: does this region record AWS Config (docs/guardrails.md#backup-audit)?`,
              created,
            );
          return arn;
        });
    };
    const frameworkArns = [
      framework(
        name,
        "What the aws-dr stack promises of its backup plans",
        planControls(args.promises, args.stackTag),
      ),
      ...args.resources.map((r) =>
        framework(
          `${name}-${r.label}`,
          `What the aws-dr stack promises of its ${r.label}'s backups`,
          resourceControls(args.promises, r),
        ),
      ),
    ];
    // Audit Manager writes as its service-linked role, which exists only once the first report plan
    // of the account does: named by condition, not as a principal, which IAM checks for existence.
    const reportsRole = pulumi.interpolate`arn:aws:iam::${args.accountId}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`;
    const asReportsRole = {
      StringEquals: { "aws:PrincipalAccount": args.accountId },
      ArnEquals: { "aws:PrincipalArn": reportsRole },
    };
    const key = createEncryptionKey(`${name}-reports-key`, {
      description: `Encrypts the ${name} audit reports`,
      parent: this,
      protect: args.protect,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          accountRootStatement(args.accountId),
          {
            Sid: "BackupAuditManagerWritesReports",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: asReportsRole,
          },
        ],
      }),
    });
    this.reportBucket = new SecureBucket(
      `${name}-reports`,
      {
        kmsKey: key,
        objectLockDays: args.reportObjectLockDays,
        accessLogBucket: args.accessLogBucket,
        protect: args.protect,
        policyStatements: (bucketArn) => [
          {
            Sid: "BackupAuditManagerDeliversReports",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucketArn}/*`,
            Condition: asReportsRole,
          } satisfies iam.PolicyStatement,
        ],
      },
      parent,
    );
    for (const template of REPORT_TEMPLATES) {
      const plan = `${name}-${template.split("_")[0].toLowerCase()}`;
      new backup.ReportPlan(
        plan,
        {
          name: auditName(plan),
          description: `Daily ${template} of the aws-dr stack`,
          reportDeliveryChannel: {
            s3BucketName: this.reportBucket.name,
            formats: ["CSV", "JSON"],
          },
          reportSetting: {
            reportTemplate: template,
            frameworkArns:
              template === "CONTROL_COMPLIANCE_REPORT"
                ? frameworkArns
                : undefined,
          },
        },
        { parent: this, dependsOn: [this.reportBucket] },
      );
    }
    this.frameworkArns = pulumi.all(frameworkArns);
    this.registerOutputs({
      frameworkArns: this.frameworkArns,
      reportBucket: this.reportBucket.name,
    });
  }
}
