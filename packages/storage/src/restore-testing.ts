import * as pulumi from "@pulumi/pulumi";
import * as backup from "@pulumi/aws/backup";

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
  /** What to restore, by AWS Backup resource type ("RDS", "S3"). */
  targets: { type: string; arn: pulumi.Input<string> }[];
}

/** AWS requires restore-testing names of letters, digits and underscores: autonaming's "-" is rejected. */
export function restoreTestingName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
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
          recoveryPointTypes: ["SNAPSHOT", "CONTINUOUS"],
          selectionWindowDays: args.selectionWindowDays,
        },
      },
      parent,
    );
    for (const target of args.targets) {
      const selection = `${name}-${target.type.toLowerCase()}`;
      new backup.RestoreTestingSelection(
        selection,
        {
          name: restoreTestingName(selection),
          restoreTestingPlanName: plan.name,
          protectedResourceType: target.type,
          protectedResourceArns: [target.arn],
          iamRoleArn: args.roleArn,
          validationWindowHours: args.validationWindowHours,
        },
        parent,
      );
    }
    this.planName = plan.name;
    this.registerOutputs({ planName: this.planName });
  }
}
