import * as pulumi from "@pulumi/pulumi";
import { serviceRole } from "@aws-dr/aws-kit";
import { MAX_CONTINUOUS_RETENTION_DAYS } from "@aws-dr/contracts";
import * as backup from "@pulumi/aws/backup";
import * as iam from "@pulumi/aws/iam";

export interface BackupPlanArgs {
  /** Name of the vault the plan writes to, in the plan's region. */
  vaultName: pulumi.Input<string>;
  /** ARN of the vault in the recovery region every recovery point is copied to. */
  copyVaultArn: pulumi.Input<string>;
  /** AWS cron expression (UTC) for the scheduled backup. */
  schedule: string;
  /** Days recovery points are kept. */
  retentionDays: number;
  /** Days before recovery points move to cold storage; none by default. */
  coldStorageAfterDays?: number;
  /** Days the recovery-region copies are kept. */
  copyRetentionDays: number;
  /**
   * A logically air-gapped vault every rule also copies to, and the days its copies are kept; none
   * by default. Copies are snapshots, also from the continuous rule (AWS Backup copies a continuous
   * backup as a snapshot).
   */
  isolatedCopy?: { vaultArn: pulumi.Input<string>; retentionDays: number };
  /** Also keep continuous backups (point-in-time recovery) for RDS and S3. */
  continuousBackup: boolean;
  /** Resources backed up by ARN. */
  resourceArns: pulumi.Input<string>[];
  /**
   * Run as this existing backup role instead of creating one: IAM is global with its control plane
   * in us-east-1, so a plan created during a failover must not need IAM.
   */
  roleArn?: pulumi.Input<string>;
  /** The permissions boundary of the role it creates (dr:iamPermissionsBoundary). */
  permissionsBoundary?: pulumi.Input<string>;
}

/** AWS's managed policies for the backup role; the S3 ones are not under service-role/. */
export const BACKUP_ROLE_POLICY_ARNS = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
];

/**
 * The plan's rules: a scheduled one and, when enabled, a continuous one; both copied cross-region
 * and, when configured, to the isolated vault. Each rule copies straight from this region's vault
 * to both: AWS Backup runs a rule's copy actions on the recovery point it made, and a plan cannot
 * copy a copy, so chaining through the recovery-region vault would leave the isolated vault empty.
 * Adding or removing the isolated copy changes the plan's rules in place.
 */
export function backupRules(args: BackupPlanArgs): backup.PlanArgs["rules"] {
  const copies = [
    {
      destinationVaultArn: args.copyVaultArn,
      lifecycle: { deleteAfter: args.copyRetentionDays },
    },
    ...(args.isolatedCopy
      ? [
          {
            destinationVaultArn: args.isolatedCopy.vaultArn,
            lifecycle: { deleteAfter: args.isolatedCopy.retentionDays },
          },
        ]
      : []),
  ];
  const scheduled = {
    ruleName: "scheduled",
    targetVaultName: args.vaultName,
    schedule: args.schedule,
    startWindow: 60,
    completionWindow: 24 * 60,
    lifecycle: {
      deleteAfter: args.retentionDays,
      coldStorageAfter: args.coldStorageAfterDays,
    },
    copyActions: copies,
  };
  if (!args.continuousBackup) return [scheduled];
  const continuous = {
    ruleName: "continuous",
    targetVaultName: args.vaultName,
    schedule: args.schedule,
    enableContinuousBackup: true,
    lifecycle: {
      deleteAfter: Math.min(args.retentionDays, MAX_CONTINUOUS_RETENTION_DAYS),
    },
    copyActions: copies,
  };
  return [scheduled, continuous];
}

/**
 * An AWS Backup plan with cross-region copies, the service role it runs as (AWS's managed backup and
 * restore policies, S3 included), and a selection by ARN and by tag.
 */
export class BackupPlan extends pulumi.ComponentResource {
  readonly plan: backup.Plan;
  readonly roleArn: pulumi.Output<string>;
  /** Known once the selection is in place: what it backs up is then in the plan. */
  readonly selectionId: pulumi.Output<string>;

  constructor(
    name: string,
    args: BackupPlanArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:BackupPlan", name, {}, opts);
    const parent = { parent: this };

    const roleArn =
      args.roleArn ?? this.createRole(name, args.permissionsBoundary);
    this.plan = new backup.Plan(name, { rules: backupRules(args) }, parent);
    this.selectionId = new backup.Selection(
      `${name}-selection`,
      {
        planId: this.plan.id,
        iamRoleArn: roleArn,
        resources: args.resourceArns,
      },
      parent,
    ).id;
    this.roleArn = pulumi.output(roleArn);
    this.registerOutputs({ planArn: this.plan.arn, roleArn: this.roleArn });
  }

  /** The service role with AWS's managed backup and restore policies, S3's included. */
  private createRole(
    name: string,
    permissionsBoundary: pulumi.Input<string> | undefined,
  ): pulumi.Output<string> {
    const parent = { parent: this };
    const role = serviceRole(`${name}-role`, "backup.amazonaws.com", parent, {
      permissionsBoundary,
    });
    BACKUP_ROLE_POLICY_ARNS.forEach((policyArn, i) => {
      new iam.RolePolicyAttachment(
        `${name}-policy-${i}`,
        { role: role.name, policyArn },
        parent,
      );
    });
    return role.arn;
  }
}
