import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import { InstanceRole } from "./instance-role";

export interface FleetArgs {
  /** Private subnets the instances launch in, one per AZ. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  /** Target group the instances register with. */
  targetGroupArn: pulumi.Input<string>;
  amiId: pulumi.Input<string>;
  instanceType: string;
  /** Size bounds; the desired size is left to Auto Scaling between them. */
  minSize: number;
  maxSize: number;
  /** Average CPU the scaling policy holds, in percent. */
  cpuTargetPercent: number;
  /** Root volume size in GiB. */
  volumeSizeGb: number;
  /** Customer-managed KMS key the root volumes are encrypted with (see VolumeKey). */
  volumeKmsKeyArn: pulumi.Input<string>;
  /** The Auto Scaling service-linked role allowed to use that key (see autoScalingRole). */
  autoScalingRoleArn: pulumi.Input<string>;
  /** Instance profile made ahead of time (see InstanceRole); default: the fleet makes its own. */
  instanceProfileArn?: pulumi.Input<string>;
  /** The app's permissions for the fleet's own instance role (InstanceRoleArgs.appPolicy). */
  appPolicy?: pulumi.Input<string>;
  /** The permissions boundary of the fleet's own instance role (dr:iamPermissionsBoundary). */
  permissionsBoundary?: pulumi.Input<string>;
  /**
   * Whether `pulumi up` waits (up to 10 minutes) for minSize healthy instances after a change.
   * Default true. A fleet that must not hold a run hostage (a failover's: on timeout Pulumi starts
   * no further operation, so the records and parameters after it never change) says false; the
   * load balancer's health checks then decide when instances serve.
   */
  waitForCapacity?: boolean;
  /**
   * Alarm to this topic while fewer than minSize instances are in service for 5 minutes: how a run
   * that does not wait for capacity learns that it lags (the group then reports its in-service count).
   */
  capacityAlarmTopicArn?: pulumi.Input<string>;
  /**
   * What the group's changes wait for: a record that moves traffic away from the fleet first, so
   * a downgrade drains it before it shrinks.
   */
  after?: pulumi.Input<pulumi.Resource[]>;
}

/**
 * An Auto Scaling group of instances from a launch template (IMDSv2 only, gp3 root volume under
 * a customer-managed key, SSM-managed, no SSH), behind the load balancer, scaled on CPU by target tracking.
 */
export class Fleet extends pulumi.ComponentResource {
  readonly groupName: pulumi.Output<string>;
  readonly groupArn: pulumi.Output<string>;
  readonly launchTemplateId: pulumi.Output<string>;

  constructor(
    name: string,
    args: FleetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:compute:Fleet", name, {}, opts);
    const parent = { parent: this };

    const instanceProfileArn =
      args.instanceProfileArn ??
      new InstanceRole(
        name,
        {
          appPolicy: args.appPolicy,
          permissionsBoundary: args.permissionsBoundary,
        },
        parent,
      ).profileArn;

    const template = new ec2.LaunchTemplate(
      `${name}-lt`,
      {
        imageId: args.amiId,
        instanceType: args.instanceType,
        iamInstanceProfile: { arn: instanceProfileArn },
        vpcSecurityGroupIds: [args.securityGroupId],
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
        },
        monitoring: { enabled: true },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              encrypted: "true",
              kmsKeyId: args.volumeKmsKeyArn,
              volumeType: "gp3",
              volumeSize: args.volumeSizeGb,
              deleteOnTermination: "true",
            },
          },
        ],
        updateDefaultVersion: true,
      },
      parent,
    );
    const group = new autoscaling.Group(
      `${name}-asg`,
      {
        vpcZoneIdentifiers: args.subnetIds,
        minSize: args.minSize,
        maxSize: args.maxSize,
        // No desiredCapacity: setting it would undo the scaling policy on every `pulumi up`.
        // The template's version number, not "$Default": only a change of this input starts the
        // instance refresh, so a new AMI or template rolls the fleet.
        launchTemplate: {
          id: template.id,
          version: template.latestVersion.apply(String),
        },
        serviceLinkedRoleArn: args.autoScalingRoleArn,
        targetGroupArns: [args.targetGroupArn],
        healthCheckType: "ELB",
        healthCheckGracePeriod: 120,
        // "0" skips every capacity wait of the provider, on create and update alike.
        waitForCapacityTimeout:
          args.waitForCapacity === false ? "0" : undefined,
        // The in-service count the capacity alarm reads (free for Auto Scaling's group metrics).
        enabledMetrics: args.capacityAlarmTopicArn
          ? ["GroupInServiceInstances"]
          : undefined,
        instanceRefresh: {
          strategy: "Rolling",
          preferences: { minHealthyPercentage: 90 },
        },
      },
      { ...parent, dependsOn: args.after },
    );
    new autoscaling.Policy(
      `${name}-cpu`,
      {
        autoscalingGroupName: group.name,
        policyType: "TargetTrackingScaling",
        targetTrackingConfiguration: {
          predefinedMetricSpecification: {
            predefinedMetricType: "ASGAverageCPUUtilization",
          },
          targetValue: args.cpuTargetPercent,
        },
      },
      parent,
    );

    if (args.capacityAlarmTopicArn)
      new cloudwatch.MetricAlarm(
        `${name}-capacity`,
        {
          alarmDescription: `${name}: fewer than ${args.minSize} instances in service for 5 minutes`,
          namespace: "AWS/AutoScaling",
          metricName: "GroupInServiceInstances",
          dimensions: { AutoScalingGroupName: group.name },
          statistic: "Minimum",
          period: 60,
          evaluationPeriods: 5,
          threshold: args.minSize,
          comparisonOperator: "LessThanThreshold",
          // No data is no instance reporting.
          treatMissingData: "breaching",
          alarmActions: [args.capacityAlarmTopicArn],
          okActions: [args.capacityAlarmTopicArn],
        },
        parent,
      );

    this.groupName = group.name;
    this.groupArn = group.arn;
    this.launchTemplateId = template.id;
    this.registerOutputs({
      groupName: this.groupName,
      launchTemplateId: this.launchTemplateId,
    });
  }
}
