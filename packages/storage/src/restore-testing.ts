import * as pulumi from "@pulumi/pulumi";
import * as backup from "@pulumi/aws/backup";
import { physicalName } from "@aws-dr/aws-kit";

export interface RestoreTestingArgs {
  /** Vault whose recovery points are restored. */
  vaultArn: pulumi.Input<string>;
  /** Role AWS Backup restores as (needs the restore policies). */
  roleArn: pulumi.Input<string>;
  /** AWS cron expression (UTC) for test runs. */
  schedule: string;
  /** Only recovery points from the last N days qualify, 1 to 365. */
  selectionWindowDays: number;
  /** Hours a test job may wait to start. */
  startWindowHours: number;
  /** Hours a restored copy is kept for validation before AWS deletes it. */
  validationWindowHours: number;
  /**
   * Which recovery points qualify. Default both; a logically air-gapped vault holds snapshots only
   * (AWS Backup copies continuous backups as snapshots).
   */
  recoveryPointTypes?: ("SNAPSHOT" | "CONTINUOUS")[];
  /** What to restore: AWS Backup resource type ("RDS", "S3"), resource ARN or "*", overrides. */
  targets: RestoreTarget[];
}

export interface RestoreTarget {
  type: "RDS" | "Aurora" | "S3";
  /** The protected resource, or "*" for every one with recovery points in the vault. */
  arn: pulumi.Input<string>;
  /** Restore metadata AWS would otherwise infer (see rdsRestoreOverrides). */
  overrides?: Record<string, pulumi.Input<string>>;
}

/**
 * Where a restored test database goes. Without these AWS infers the default VPC, which hardened
 * accounts have deleted, and every test fails. List values are JSON array strings.
 */
export function rdsRestoreOverrides(
  subnetGroupName: pulumi.Input<string>,
  securityGroupId: pulumi.Input<string>,
): Record<string, pulumi.Input<string>> {
  return {
    dbSubnetGroupName: subnetGroupName,
    vpcSecurityGroupIds: pulumi.jsonStringify([securityGroupId]),
  };
}

/**
 * Restore-testing names: letters, digits and underscores only (autonaming's "-" is rejected), at
 * most 50, and unique per project and stack so two stacks can share an account and region.
 */
export function restoreTestingName(name: string): string {
  return physicalName(pulumi.getStack(), name, {
    style: "underscore",
    maxLength: 50,
  });
}

/**
 * A restore testing plan that restores the newest recovery point of each target on a schedule and
 * deletes the copy after validation, so restores are proven continuously, not assumed.
 */
export class RestoreTesting extends pulumi.ComponentResource {
  readonly planName: pulumi.Output<string>;

  constructor(
    name: string,
    args: RestoreTestingArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:RestoreTesting", name, {}, opts);
    const parent = { parent: this };
    const plan = new backup.RestoreTestingPlan(
      name,
      {
        name: restoreTestingName(name),
        scheduleExpression: args.schedule,
        startWindowHours: args.startWindowHours,
        recoveryPointSelection: {
          algorithm: "LATEST_WITHIN_WINDOW",
          includeVaults: [args.vaultArn],
          recoveryPointTypes: args.recoveryPointTypes ?? [
            "SNAPSHOT",
            "CONTINUOUS",
          ],
          selectionWindowDays: args.selectionWindowDays,
        },
      },
      parent,
    );
    for (const target of args.targets) {
      const selection = `${name}-${target.type.toLowerCase()}`;
      // A selection is replaced when what it protects changes (a failback's successor database):
      // the provider updates protectedResourceArns in its state only, never in AWS, so AWS would
      // go on testing the old resource's recovery points (terraform-provider-aws #48316). Deleted
      // first: its name is fixed, and AWS refuses a second selection of that name in the plan.
      new backup.RestoreTestingSelection(
        selection,
        {
          name: restoreTestingName(selection),
          restoreTestingPlanName: plan.name,
          protectedResourceType: target.type,
          protectedResourceArns: [target.arn],
          restoreMetadataOverrides: target.overrides,
          iamRoleArn: args.roleArn,
          validationWindowHours: args.validationWindowHours,
        },
        {
          ...parent,
          replaceOnChanges: ["protectedResourceArns"],
          deleteBeforeReplace: true,
        },
      );
    }
    this.planName = plan.name;
    this.registerOutputs({ planName: this.planName });
  }
}
