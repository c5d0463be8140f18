import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";

/**
 * AWS Backup's failure events (EventBridge, source aws.backup): backup, copy and restore jobs,
 * restore-testing jobs included. Restore jobs report `status`, the others `state`. PARTIAL backup
 * and copy jobs count: some of the recovery point is missing (a composite job, a resource that
 * failed), and an ABORTED restore proves nothing.
 */
export const BACKUP_FAILURE_PATTERN = {
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
};

export interface BackupAlertsArgs {
  /** This region's alert topic. */
  topicArn: pulumi.Input<string>;
}

/**
 * Sends every failed backup, copy and restore(-test) job of this region to its alert topic. A
 * backup that fails silently is what turns an outage into a disaster. One per region: events stay
 * in the region the job ran in.
 */
export class BackupAlerts extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: BackupAlertsArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:BackupAlerts", name, {}, opts);
    const rule = new cloudwatch.EventRule(
      name,
      {
        description:
          "AWS Backup jobs that failed: backup, copy, restore and restore tests",
        eventPattern: JSON.stringify(BACKUP_FAILURE_PATTERN),
      },
      { parent: this },
    );
    new cloudwatch.EventTarget(
      `${name}-to-topic`,
      { rule: rule.name, arn: args.topicArn },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
