import * as pulumi from "@pulumi/pulumi";
import * as arc from "@pulumi/aws/arcregionswitch";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import {
  AlertTopic,
  boundaryArgs,
  physicalName,
  policyJson,
  regionalProvider,
  serviceRole,
} from "@aws-dr/aws-kit";
import type { Regions } from "../wiring/regions";
import type { DeployContext } from "../wiring/context";
import type { Site } from "../wiring/site";
import type { SwitchHealthChecks } from "../wiring/traffic";
import { auroraStandInFunction } from "./aurora-stand-in";
import { endpointSwitchFunctions } from "./endpoint-switch";

/** What the stack exports of the plan, and the health checks its records combine with their own. */
export interface RegionSwitch {
  healthChecks: SwitchHealthChecks;
  planArn: pulumi.Output<string>;
  /** The role an approver assumes, where the plan waits for an approval. */
  approverRoleArn?: pulumi.Output<string>;
}

/**
 * The recovery as a runbook AWS executes: an ARC Region switch plan (active/passive: the database
 * has one writer, also at active-active) whose workflow, activating the recovery region, waits for
 * an approval (prod), then in parallel scales the recovery fleet to the primary's capacity and
 * promotes the replica, then points the recovery region's endpoint parameters at the promoted
 * database (endpoint-switch.ts), then moves traffic with the Route 53 step. The plan's health check for the
 * primary is combined with the primary record's own (SiteRecord.switchHealthCheckId). Created
 * with the recovery provider, and none of its inputs depends on dr:failover, so a failover never
 * touches it (while failed over only the lookup of its health checks is skipped, below).
 * After the plan has run, set dr:failover=true and `pulumi up` so the program agrees (docs/runbooks/<tier>.md#region-switch).
 */
export function regionSwitchPlan(
  ctx: DeployContext,
  regions: Regions,
  sites: { primary: Site; recovery: Site },
  parameterPrefix: string,
): RegionSwitch {
  const { cfg, providers, environment, accountId } = ctx;
  const settings = cfg.regionSwitch;
  // The phase resolver builds the plan only where there is a zone (its Route 53 step needs it).
  if (!cfg.dns) throw new Error("the Region switch plan needs dr:dns");
  const opts = { provider: providers.recovery };
  const planName = physicalName(environment, "region-switch", {
    maxLength: 32,
  });
  const groups = [sites.primary.fleet.groupArn, sites.recovery.fleet.groupArn];
  const replica = sites.recovery.database.arn;
  const primaryDatabase = sites.primary.database.arn;
  const aurora = ctx.globalDatabase;
  const zoneArn = `arn:aws:route53:::hostedzone/${cfg.dns.zoneId}`;
  // On Aurora the app's writer is the global endpoint, which AWS moves itself: nothing to point.
  const endpointSwitch = aurora
    ? []
    : endpointSwitchFunctions(ctx, sites, parameterPrefix);
  // A headless secondary takes no failover: an instance first (Phase.auroraStandIn).
  const standIn = ctx.phase.auroraStandIn
    ? auroraStandInFunction(ctx, sites.recovery)
    : undefined;

  const execution = serviceRole(
    "region-switch-execution",
    "arc-region-switch.amazonaws.com",
    opts,
    { permissionsBoundary: cfg.iamPermissionsBoundary },
  );
  new iam.RolePolicy(
    "region-switch-execution",
    {
      role: execution.name,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          {
            // Describe calls take no resource: AWS documents them on "*" (the plan's evaluation
            // also reads the source database's replication).
            Sid: "ReadFleetsAndCapacity",
            Effect: "Allow",
            Action: [
              "autoscaling:DescribeAutoScalingGroups",
              "cloudwatch:GetMetricStatistics",
              "rds:DescribeDBInstances",
              // The Aurora step's reads, on "*" as AWS's sample policy for it has them.
              ...(aurora
                ? ["rds:DescribeGlobalClusters", "rds:DescribeDBClusters"]
                : []),
            ],
            Resource: "*",
          },
          {
            Sid: "ScaleTheFleets",
            Effect: "Allow",
            Action: ["autoscaling:UpdateAutoScalingGroup"],
            Resource: groups,
          },
          aurora
            ? {
                // The Aurora step: a managed failover (or a drill's switchover) of the global database.
                Sid: "FailOverTheGlobalDatabase",
                Effect: "Allow",
                Action: [
                  "rds:FailoverGlobalCluster",
                  "rds:SwitchoverGlobalCluster",
                ],
                Resource: [
                  pulumi.interpolate`arn:aws:rds::${accountId}:global-cluster:${aurora.identifier}`,
                  replica,
                  primaryDatabase,
                ],
              }
            : {
                Sid: "PromoteTheReplica",
                Effect: "Allow",
                Action: ["rds:PromoteReadReplica", "rds:ModifyDBInstance"],
                Resource: [replica],
              },
          // The plan's custom actions, where it has any (an empty Resource list is no valid policy).
          ...(endpointSwitch.length > 0
            ? [
                {
                  Sid: "PointTheEndpoints",
                  Effect: "Allow" as const,
                  Action: ["lambda:GetFunction", "lambda:InvokeFunction"],
                  Resource: endpointSwitch.map((f) => f.arn),
                },
              ]
            : []),
          ...(standIn
            ? [
                {
                  Sid: "AddTheStandIn",
                  Effect: "Allow" as const,
                  Action: ["lambda:GetFunction", "lambda:InvokeFunction"],
                  Resource: [standIn.arn],
                },
              ]
            : []),
          {
            Sid: "FindTheRecords",
            Effect: "Allow",
            Action: ["route53:ListResourceRecordSets"],
            Resource: [zoneArn],
          },
        ],
      }),
    },
    { ...opts, parent: execution },
  );

  const manualApproval = settings.manualApproval ?? cfg.protectData;
  const approval = manualApproval
    ? approverRole(accountId, opts, cfg.iamPermissionsBoundary)
    : undefined;
  const moveTraffic = {
    name: "move-traffic",
    executionBlockType: "Route53HealthCheck",
    route53HealthCheckConfigs: [
      {
        hostedZoneId: cfg.dns.zoneId,
        recordName: cfg.dns.recordName,
        recordSets: [
          { recordSetIdentifier: "primary", region: cfg.primaryRegion },
          { recordSetIdentifier: "recovery", region: cfg.recoveryRegion },
        ],
      },
    ],
  };
  const approve = approval
    ? [
        {
          name: "approve",
          executionBlockType: "ManualApproval",
          executionApprovalConfigs: [
            {
              approvalRole: approval.arn,
              timeoutMinutes: settings.approvalTimeoutMinutes,
            },
          ],
        },
      ]
    : [];
  const promoteReplica = {
    name: "promote-replica",
    executionBlockType: "RdsPromoteReadReplica",
    rdsPromoteReadReplicaConfigs: [
      {
        // Each region's instance; the one in the activated region is promoted.
        dbInstanceArnMap: {
          [cfg.primaryRegion]: primaryDatabase,
          [cfg.recoveryRegion]: replica,
        },
      },
    ],
  };
  // Aurora's own failover of the global database to the activated region's cluster, whose loss in
  // an ungraceful run rds.global_db_rpo bounds where set.
  const auroraFailover = aurora && {
    name: "fail-over-global-database",
    executionBlockType: "AuroraGlobalDatabase",
    globalAuroraConfigs: [
      {
        // A switchover (no data loss) whenever the plan runs gracefully, a drill or a planned move;
        // the managed failover with data loss allowed only when it runs ungracefully (an outage).
        // "failover" would allow data loss on every run (ARC API: GlobalAuroraConfiguration).
        behavior: "switchoverOnly",
        globalClusterIdentifier: aurora.identifier,
        databaseClusterArns: [primaryDatabase, replica],
        ungracefuls: [{ ungraceful: "failover" }],
        timeoutMinutes: 60,
      },
    ],
  };
  const addStandIn = standIn && {
    name: "add-stand-in-instance",
    executionBlockType: "CustomActionLambda",
    customActionLambdaConfigs: [
      {
        lambdas: [{ arn: standIn.arn }],
        regionToRun: "activatingRegion",
        retryIntervalMinutes: 1,
        // An instance takes about 10 to 15 minutes to create; the function returns once it is available.
        timeoutMinutes: 45,
      },
    ],
  };
  // Beside the fleet's scaling: the promotion, the Aurora failover, or the stand-in, which the
  // Aurora failover then follows (steps of a Parallel block run at once).
  const besideScaling = addStandIn ?? auroraFailover ?? promoteReplica;
  const afterScaling = addStandIn && auroraFailover ? [auroraFailover] : [];
  const pointEndpoints = aurora
    ? []
    : [
        {
          // Before traffic moves: the app in the recovery region writes to the promoted database,
          // not to the primary that no longer answers (AWS leaves the endpoint to the user).
          name: "point-endpoints",
          executionBlockType: "CustomActionLambda",
          customActionLambdaConfigs: [
            {
              lambdas: endpointSwitch.map((f) => ({ arn: f.arn })),
              regionToRun: "activatingRegion",
              retryIntervalMinutes: 1,
              // A promotion alone takes minutes; past this the step fails and traffic stays put.
              timeoutMinutes: 60,
            },
          ],
        },
      ];
  const workflows: pulumi.Input<arc.PlanArgs["workflows"]> = [
    {
      workflowTargetAction: "activate",
      workflowTargetRegion: cfg.recoveryRegion,
      workflowDescription: `Fail over to ${cfg.recoveryRegion}; then set dr:failover=true and pulumi up`,
      steps: [
        ...approve,
        {
          name: "scale-and-promote",
          executionBlockType: "Parallel",
          parallelConfigs: [
            {
              steps: [
                {
                  name: "scale-recovery-fleet",
                  executionBlockType: "EC2AutoScaling",
                  ec2AsgCapacityIncreaseConfigs: [
                    {
                      asgs: groups.map((arn) => ({ arn })),
                      targetPercent: 100,
                      capacityMonitoringApproach: "sampledMaxInLast24Hours",
                    },
                  ],
                },
                besideScaling,
              ],
            },
          ],
        },
        ...afterScaling,
        ...pointEndpoints,
        moveTraffic,
      ],
    },
    {
      // Failback only, at the promote step (docs/runbooks/<tier>.md#failback): gives the plan's health checks back to the
      // primary. While dr:failover=true the primary has no record, so this cannot send traffic to
      // a stale primary; nothing here promotes or scales (the failback steps do; on Aurora, the
      // switchover back: docs/aurora.md#failback).
      workflowTargetAction: "activate",
      workflowTargetRegion: cfg.primaryRegion,
      workflowDescription: `Failback: traffic back to ${cfg.primaryRegion} at dr:failback=promote`,
      steps: [...approve, moveTraffic],
    },
  ];
  const plan = new arc.Plan(
    "region-switch",
    {
      name: planName,
      executionRole: execution.arn,
      recoveryApproach: "activePassive",
      regions: [cfg.primaryRegion, cfg.recoveryRegion],
      primaryRegion: cfg.primaryRegion,
      recoveryTimeObjectiveMinutes: cfg.targets.rtoMinutes,
      description: `aws-dr ${environment}: ${cfg.tier} recovery in ${cfg.recoveryRegion}`,
      workflows,
    },
    {
      ...opts,
      // name, regions and recoveryApproach force a replacement, and the name is fixed and unique:
      // create-before-delete would fail on it. UpdatePlan never sends primaryRegion: a change
      // would otherwise never reach AWS.
      deleteBeforeReplace: true,
      replaceOnChanges: ["primaryRegion"],
    },
  );
  approval?.approvePlan(plan);
  // Active/passive: the plan's check for the primary region starts healthy, the recovery region's
  // unhealthy. So only the primary's record takes it (with its own check): running the plan makes
  // it unhealthy and Route 53 sends traffic to the recovery site. Not looked up while failed over:
  // the lookup is a control-plane call in us-east-1, which may be the region that is down, and the
  // primary has no record then.
  const exported = { planArn: plan.arn, approverRoleArn: approval?.arn };
  if (ctx.phase.serving === "recovery") {
    alarmWhilePlanHoldsPrimary(ctx, regions, undefined);
    return { ...exported, healthChecks: {} };
  }
  // Pinned in config, no run asks us-east-1 at all (a us-east-1 outage would stop every stack's run).
  const primaryCheck = settings.primaryHealthCheckId
    ? pulumi.output(settings.primaryHealthCheckId)
    : arc
        .getRoute53HealthChecksOutput({ planArn: plan.arn }, opts)
        .healthChecks.apply((list) => {
          const found = list.find((c) => c.region === cfg.primaryRegion);
          if (!found)
            throw new Error(
              `the Region switch plan has no Route 53 health check for ${cfg.primaryRegion}`,
            );
          return found.healthCheckId;
        });
  alarmWhilePlanHoldsPrimary(ctx, regions, primaryCheck);
  return { ...exported, healthChecks: { primary: primaryCheck } };
}

/**
 * Route 53 fails open: with every record unhealthy it answers with all of them, and with the plan's
 * primary check left unhealthy (its primary activation never run after a failback) all traffic
 * goes to the recovery site without a word. So an alarm when that check is unhealthy for 5
 * minutes. Route 53 publishes its metrics in us-east-1 only: the alarm and its topic live there
 * (one of the stack's regions where it is one, else a topic of its own). That may be the primary
 * region, which a failover run must not touch: the alarm stays as it is while failed over (its
 * check's id, not looked up then, held by ignoreChanges), and its message says it is expected then.
 */
function alarmWhilePlanHoldsPrimary(
  ctx: DeployContext,
  regions: Regions,
  healthCheckId: pulumi.Output<string> | undefined,
): void {
  const { cfg, providers, environment, accountId } = ctx;
  const METRICS_REGION = "us-east-1";
  const site =
    cfg.primaryRegion === METRICS_REGION
      ? "primary"
      : cfg.recoveryRegion === METRICS_REGION
        ? "recovery"
        : undefined;
  const provider = site
    ? providers[site]
    : regionalProvider("route53-metrics", METRICS_REGION, cfg, environment);
  const topicArn = site
    ? regions[site].alerts.arn
    : new AlertTopic(
        "route53-metrics-alerts",
        { accountId, email: cfg.alerts.email },
        { provider },
      ).arn;
  new cloudwatch.MetricAlarm(
    "region-switch-primary-check",
    {
      // Nothing in it may follow config that can change while failed over (the tier, say): an
      // update then would be a call to us-east-1 in the middle of a failover.
      alarmDescription: `aws-dr ${environment}: the Region switch plan holds ${cfg.primaryRegion} unhealthy, so Route 53 sends its traffic to ${cfg.recoveryRegion}. Expected while failed over; after the failback's promote step, run the plan's workflow that activates ${cfg.primaryRegion} (docs/disaster-day.md#region-switch)`,
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: healthCheckId ?? "held while failed over" },
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 5,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      alarmActions: [topicArn],
      okActions: [topicArn],
    },
    {
      provider,
      ignoreChanges: healthCheckId === undefined ? ["dimensions"] : [],
    },
  );
}

/**
 * The role an approver assumes to approve the plan's execution: assumable by the account's IAM
 * principals that are allowed to (grant sts:AssumeRole on it to the on-call group); it may approve
 * this plan's steps and nothing else (approvePlan, once the plan exists).
 */
function approverRole(
  accountId: pulumi.Output<string>,
  opts: pulumi.CustomResourceOptions,
  permissionsBoundary: string | undefined,
) {
  const role = new iam.Role(
    "region-switch-approver",
    {
      ...boundaryArgs(permissionsBoundary),
      assumeRolePolicy: policyJson({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: {
              AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root`,
            },
            Action: "sts:AssumeRole",
          },
        ],
      }),
    },
    opts,
  );
  const approvePlan = (plan: arc.Plan) =>
    new iam.RolePolicy(
      "region-switch-approver",
      {
        role: role.name,
        policy: policyJson({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ApproveThisPlan",
              Effect: "Allow",
              // The approver approves what it can see: the execution, its events and the plan
              // as the activating region holds it.
              Action: [
                "arc-region-switch:ApprovePlanExecutionStep",
                "arc-region-switch:GetPlanExecution",
                "arc-region-switch:ListPlanExecutions",
                "arc-region-switch:ListPlanExecutionEvents",
                "arc-region-switch:GetPlanInRegion",
              ],
              Resource: [plan.arn],
            },
          ],
        }),
      },
      { ...opts, parent: role },
    );
  return { arn: role.arn, approvePlan };
}
