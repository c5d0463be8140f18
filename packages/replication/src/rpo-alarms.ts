import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";

/**
 * A lag alarm's threshold and window: ALARM once the lag exceeded the threshold in each of
 * `evaluationPeriods` periods in a row (the recovery model's LagAlarm, which sets them).
 */
export interface LagThreshold {
  thresholdMinutes: number;
  periodSeconds: number;
  evaluationPeriods: number;
}

export type RpoAlarmsArgs = {
  /** This region's alert topic: alarms act only on topics of their own region. */
  topicArn: pulumi.Input<string>;
  /** S3 replication to watch, from its source bucket (alarms live in the source's region). */
  bucketReplication?: {
    sourceBucket: pulumi.Input<string>;
    destinationBucket: pulumi.Input<string>;
    ruleId: string;
    /** Replication later than this alarms. */
    latencyAlarm: LagThreshold;
  };
} & (
  | {
      /** A cross-region read replica in this region to watch (its DB instance identifier). */
      replicaIdentifier: pulumi.Input<string>;
      /** Its lag alarm: the lag the RPO estimate counts. */
      lagAlarm: LagThreshold;
    }
  | { replicaIdentifier?: undefined; lagAlarm?: undefined }
);

/**
 * RPO watched, not assumed: an alarm when the replica lags past what the RPO estimate counts (or
 * stops reporting: a broken replica sends no metric), when S3 replication is later than RTC's
 * bound, and when any object fails to replicate. Each into the alert topic of the region the
 * metric lives in.
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
    const window = (lag: LagThreshold) =>
      `${lag.thresholdMinutes} min, ${lag.evaluationPeriods} x ${lag.periodSeconds} s`;
    if (args.replicaIdentifier) {
      const lag = args.lagAlarm;
      alarm(
        "replica-lag",
        `Replica lags more than the RPO estimate counts (${window(lag)})`,
        {
          namespace: "AWS/RDS",
          metricName: "ReplicaLag",
          dimensions: { DBInstanceIdentifier: args.replicaIdentifier },
          statistic: "Maximum",
          period: lag.periodSeconds,
          evaluationPeriods: lag.evaluationPeriods,
          threshold: lag.thresholdMinutes * 60,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "breaching",
        },
      );
    }
    if (args.bucketReplication) {
      const { sourceBucket, destinationBucket, ruleId, latencyAlarm } =
        args.bucketReplication;
      const dimensions = {
        SourceBucket: sourceBucket,
        DestinationBucket: destinationBucket,
        RuleId: ruleId,
      };
      alarm(
        "s3-latency",
        `S3 replication later than the RPO estimate counts (${window(latencyAlarm)})`,
        {
          namespace: "AWS/S3",
          metricName: "ReplicationLatency",
          dimensions,
          statistic: "Maximum",
          period: latencyAlarm.periodSeconds,
          evaluationPeriods: latencyAlarm.evaluationPeriods,
          threshold: latencyAlarm.thresholdMinutes * 60,
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
