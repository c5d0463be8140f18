import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as fis from "@pulumi/aws/fis";
import * as iam from "@pulumi/aws/iam";
import { z } from "zod";
import { serviceRole, type TierKeys } from "@aws-dr/core";
import type { DeployContext } from "./context";
import type { Regions } from "./regions";
import type { Site } from "./site";

/** dr:gameDay: an AWS FIS experiment that takes the primary site down on purpose. */
export const GAME_DAY_KEYS = {
  gameDay: {
    // At pilot light the recovery fleet is at zero until failover: nothing would take the traffic.
    usedBy: ["warm-standby", "active-active"],
    schema: z
      .strictObject({
        /** Create the experiment template (it runs only when someone starts it). Off by default. */
        enabled: z.boolean().default(false),
        /** How long the primary fleet's subnets stay cut off. */
        durationMinutes: z.int().min(1).max(60).default(10),
      })
      .prefault({}),
  },
} satisfies TierKeys;

/** AWS's managed policy for FIS network actions (disrupt-connectivity creates and swaps NACLs). */
const FIS_NETWORK_POLICY =
  "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorNetworkAccess";

/**
 * Game day (dr:gameDay): an FIS experiment template in the primary region that cuts the primary
 * fleet's subnets off (aws:network:disrupt-connectivity) for dr:gameDay.durationMinutes, so the
 * primary's health check fails and Route 53 moves traffic to the recovery site: the failover is
 * proven, and timed, without a real outage. It stops by itself when the recovery site is in trouble
 * too (no healthy targets, or load balancer 5xx), through alarms in the recovery region. Nothing
 * here depends on dr:failover, so failing over never touches it.
 */
export function buildGameDay(
  ctx: DeployContext,
  regions: Regions,
  recovery: Site,
): void {
  const { cfg, providers, accountId } = ctx;
  if (!cfg.gameDay.enabled) return;
  const recoveryOpts = { provider: providers.recovery };
  const alarm = (
    name: string,
    description: string,
    metric: Pick<
      cloudwatch.MetricAlarmArgs,
      "metricName" | "statistic" | "threshold" | "comparisonOperator"
    >,
  ) =>
    new cloudwatch.MetricAlarm(
      name,
      {
        alarmDescription: description,
        namespace: "AWS/ApplicationELB",
        dimensions: recovery.loadBalancer.metricDimensions,
        period: 60,
        evaluationPeriods: 2,
        // No data from the recovery site during a game day is trouble too.
        treatMissingData: "breaching",
        alarmActions: [regions.recovery.alerts.arn],
        ...metric,
      },
      recoveryOpts,
    );
  const stopAlarms = [
    alarm(
      "game-day-recovery-unhealthy",
      "Game day stop condition: the recovery site has no healthy target",
      {
        metricName: "HealthyHostCount",
        statistic: "Minimum",
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
      },
    ),
    alarm(
      "game-day-recovery-errors",
      "Game day stop condition: the recovery site's load balancer answers with 5xx",
      {
        metricName: "HTTPCode_ELB_5XX_Count",
        statistic: "Sum",
        threshold: 10,
        comparisonOperator: "GreaterThanThreshold",
      },
    ),
  ];
  // IAM is global: the role is made with the recovery provider like every other role.
  const role = serviceRole("game-day-fis", "fis.amazonaws.com", recoveryOpts);
  new iam.RolePolicyAttachment(
    "game-day-fis-network",
    { role: role.name, policyArn: FIS_NETWORK_POLICY },
    recoveryOpts,
  );
  const subnetArns = pulumi
    .all([regions.primary.network.privateSubnetIds, accountId])
    .apply(([ids, account]) =>
      ids.map(
        (id) => `arn:aws:ec2:${cfg.primaryRegion}:${account}:subnet/${id}`,
      ),
    );
  new fis.ExperimentTemplate(
    "game-day",
    {
      description: `Game day: cut the primary fleet's subnets off for ${cfg.gameDay.durationMinutes} min; Route 53 should move traffic to the recovery site`,
      roleArn: role.arn,
      targets: [
        {
          name: "primary-fleet-subnets",
          resourceType: "aws:ec2:subnet",
          resourceArns: subnetArns,
          selectionMode: "ALL",
        },
      ],
      actions: [
        {
          name: "disrupt-primary-fleet",
          actionId: "aws:network:disrupt-connectivity",
          parameters: [
            { key: "duration", value: `PT${cfg.gameDay.durationMinutes}M` },
            { key: "scope", value: "all" },
          ],
          target: { key: "Subnets", value: "primary-fleet-subnets" },
        },
      ],
      stopConditions: stopAlarms.map((a) => ({
        source: "aws:cloudwatch:alarm",
        value: a.arn,
      })),
      tags: { Name: "game-day" },
    },
    { provider: providers.primary, dependsOn: [recovery.fleet] },
  );
}
