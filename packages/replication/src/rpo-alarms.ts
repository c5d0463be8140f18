import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";

export interface RpoAlarmsArgs {
  /** The data loss the stack may suffer (dr:targets.rpoMinutes): replication later than this alarms. */
  rpoMinutes: number;
  /** This region's alert topic: alarms act only on topics of their own region. */
  topicArn: pulumi.Input<string>;
  /** A cross-region read replica in this region to watch (its DB instance identifier). */
  replicaIdentifier?: pulumi.Input<string>;
  /** S3 replication to watch, from its source bucket (alarms live in the source's region). */
  bucketReplication?: {
    sourceBucket: pulumi.Input<string>;
    destinationBucket: pulumi.Input<string>;
    ruleId: string;
  };
}

/**
 * RPO watched, not assumed: an alarm when the replica lags more than the RPO target (or stops
 * reporting: a broken replica sends no metric), when S3 replication is later than the target, and
 * when any object fails to replicate. Each into the alert topic of the region the metric lives in.
 */
export class RpoAlarms extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: RpoAlarmsArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:replication:RpoAlarms", name, {}, opts);
    const alarm = (
      suffix: string,
      description: string,
      alarmArgs: Omit<cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">,
    ) =>
      new cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          alarmDescription: description,
          alarmActions: [args.topicArn],
          okActions: [args.topicArn],
          ...alarmArgs,
        },
        { parent: this },
      );
    const rpoSeconds = args.rpoMinutes * 60;
    if (args.replicaIdentifier) {
      alarm(
        "replica-lag",
        `Standby replica lags more than the RPO target (${args.rpoMinutes} min)`,
        {
          namespace: "AWS/RDS",
          metricName: "ReplicaLag",
          dimensions: { DBInstanceIdentifier: args.replicaIdentifier },
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: 5,
          threshold: rpoSeconds,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "breaching",
        },
      );
    }
    if (args.bucketReplication) {
      const { sourceBucket, destinationBucket, ruleId } =
        args.bucketReplication;
      const dimensions = {
        SourceBucket: sourceBucket,
        DestinationBucket: destinationBucket,
        RuleId: ruleId,
      };
      alarm(
        "s3-latency",
        `S3 replication later than the RPO target (${args.rpoMinutes} min)`,
        {
          namespace: "AWS/S3",
          metricName: "ReplicationLatency",
          dimensions,
          statistic: "Maximum",
          period: 300,
          evaluationPeriods: 1,
          threshold: rpoSeconds,
          comparisonOperator: "GreaterThanThreshold",
          // No objects written, no metric: nothing is late.
          treatMissingData: "notBreaching",
        },
      );
      alarm("s3-failed", "Objects failed to replicate to the recovery region", {
        namespace: "AWS/S3",
        metricName: "OperationsFailedReplication",
        dimensions,
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }
    this.registerOutputs({});
  }
}
