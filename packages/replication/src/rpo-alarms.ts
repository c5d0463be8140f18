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
      alarmArgs: AlarmSettings,
    ) =>
      topicAlarm(
        this,
        `${name}-${suffix}`,
        args.topicArn,
        description,
        alarmArgs,
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

export interface ReplicationSourceAlarmsArgs {
  /** The source's region's alert topic. */
  topicArn: pulumi.Input<string>;
  /** The database a cross-region replica replicates (its DB instance identifier). */
  sourceIdentifier: pulumi.Input<string>;
  /** Its max_slot_wal_keep_size, in MB: a slot that holds more WAL is invalidated. */
  maxSlotWalKeepSizeMb: number;
  /** The storage it has at least, in GiB (dr:database.allocatedStorageGb: autoscaling only adds). */
  allocatedStorageGb: number;
}

/**
 * The source's side of replication, in its own region: each cross-region replica holds a slot
 * there, and while the replica or the link is down the source keeps the WAL the replica has not
 * received, up to max_slot_wal_keep_size; past it the slot is invalidated and the replica must be
 * rebuilt. Alarms while there is time to act: a slot halfway to that bound, WAL on disk past it
 * (a slot at its end, or WAL held for another reason, such as archiving), and free storage so low
 * that autoscaling (which grows it at 10% free, at most every 6 hours, up to its ceiling) has not.
 */
export class ReplicationSourceAlarms extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: ReplicationSourceAlarmsArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:replication:ReplicationSourceAlarms", name, {}, opts);
    const keepBytes = args.maxSlotWalKeepSizeMb * 2 ** 20;
    const alarm = (
      suffix: string,
      description: string,
      metric: Pick<
        cloudwatch.MetricAlarmArgs,
        "metricName" | "statistic" | "threshold" | "comparisonOperator"
      >,
    ) =>
      topicAlarm(this, `${name}-${suffix}`, args.topicArn, description, {
        namespace: "AWS/RDS",
        dimensions: { DBInstanceIdentifier: args.sourceIdentifier },
        period: 60,
        evaluationPeriods: 5,
        // No slot, no slot metric; a source that stopped reporting is its own alarms' business.
        treatMissingData: "notBreaching",
        ...metric,
      });
    alarm(
      "slot-lag",
      `A replica's slot holds over half of max_slot_wal_keep_size (${args.maxSlotWalKeepSizeMb} MB) of WAL on its source: at the bound the slot is invalidated and the replica must be rebuilt`,
      {
        metricName: "OldestReplicationSlotLag",
        statistic: "Maximum",
        threshold: keepBytes / 2,
        comparisonOperator: "GreaterThanThreshold",
      },
    );
    alarm(
      "wal-disk",
      `WAL on disk exceeds max_slot_wal_keep_size (${args.maxSlotWalKeepSizeMb} MB): a slot at its bound, or WAL held for another reason`,
      {
        metricName: "TransactionLogsDiskUsage",
        statistic: "Maximum",
        threshold: keepBytes,
        comparisonOperator: "GreaterThanThreshold",
      },
    );
    alarm(
      "free-storage",
      `Free storage below 5% of ${args.allocatedStorageGb} GiB: storage autoscaling has not grown it (6 hours between increases, or at its ceiling)`,
      {
        metricName: "FreeStorageSpace",
        statistic: "Minimum",
        threshold: (args.allocatedStorageGb * 2 ** 30) / 20,
        comparisonOperator: "LessThanThreshold",
      },
    );
    this.registerOutputs({});
  }
}

type AlarmSettings = Omit<
  cloudwatch.MetricAlarmArgs,
  "alarmDescription" | "alarmActions" | "okActions"
>;

/** One alarm of a component, to its topic on alarm and on recovery. */
function topicAlarm(
  parent: pulumi.Resource,
  name: string,
  topicArn: pulumi.Input<string>,
  description: string,
  settings: AlarmSettings,
): cloudwatch.MetricAlarm {
  return new cloudwatch.MetricAlarm(
    name,
    {
      alarmDescription: description,
      alarmActions: [topicArn],
      okActions: [topicArn],
      ...settings,
    },
    { parent },
  );
}

export interface AuroraLagAlarmArgs {
  /** The secondary's region's alert topic. */
  topicArn: pulumi.Input<string>;
  /** The global database's secondary cluster to watch. */
  secondaryIdentifier: pulumi.Input<string>;
  /** The lag the RPO estimate counts. */
  lagAlarm: LagThreshold;
}

/**
 * An Aurora global database's replication lag watched from the secondary's region:
 * AuroraGlobalDBReplicationLag (milliseconds, per secondary cluster) above what the RPO estimate
 * counts, or no metric at all (a broken link reports nothing).
 */
export class AuroraLagAlarm extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: AuroraLagAlarmArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:replication:AuroraLagAlarm", name, {}, opts);
    const lag = args.lagAlarm;
    topicAlarm(
      this,
      `${name}-global-lag`,
      args.topicArn,
      `Aurora global database secondary lags more than the RPO estimate counts (${lag.thresholdMinutes} min, ${lag.evaluationPeriods} x ${lag.periodSeconds} s)`,
      {
        namespace: "AWS/RDS",
        metricName: "AuroraGlobalDBReplicationLag",
        dimensions: { DBClusterIdentifier: args.secondaryIdentifier },
        statistic: "Maximum",
        period: lag.periodSeconds,
        evaluationPeriods: lag.evaluationPeriods,
        threshold: lag.thresholdMinutes * 60 * 1000,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "breaching",
      },
    );
    this.registerOutputs({});
  }
}
