import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as fis from "@pulumi/aws/fis";
import * as iam from "@pulumi/aws/iam";
import { serviceRole } from "@aws-dr/aws-kit";
import { loadBalancerHealthCheck } from "@aws-dr/dns";
import type { DeployContext } from "../wiring/context";
import type { Regions } from "../wiring/regions";
import type { Site } from "../wiring/site";

/** AWS's managed policy for FIS network actions (disrupt-connectivity creates and swaps NACLs). */
const FIS_NETWORK_POLICY =
  "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorNetworkAccess";

/**
 * Game day (dr:gameDay): an FIS experiment template in the primary region that cuts the primary
 * fleet's subnets off (aws:network:disrupt-connectivity) for dr:gameDay.durationMinutes, so the
 * primary's health check fails and Route 53 moves traffic to the recovery site: the failover is
 * proven, and timed, without a real outage. It stops by itself when the recovery site fails a Route
 * 53 health check of its own (an alarm in the experiment's region). Nothing here depends on
 * dr:failover, so failing over never touches it.
 */
export function buildGameDay(
  ctx: DeployContext,
  regions: Regions,
  recovery: Site,
): void {
  const { cfg, providers, accountId } = ctx;
  const recoveryOpts = { provider: providers.recovery };
  // The recovery site as Route 53 sees it, from outside both regions: its own check, so the game
  // day needs no DNS zone. Its metric is published in us-east-1 only, which is why the primary
  // region (where the experiment and its stop alarm must be) has to be us-east-1 (the key's check).
  const check = loadBalancerHealthCheck(
    "game-day-recovery-check",
    recovery.loadBalancer,
    { path: cfg.app.healthCheckPath, intervalSeconds: 10, failureThreshold: 2 },
    "game day: recovery site",
    recoveryOpts,
  );
  const stopAlarm = new cloudwatch.MetricAlarm(
    "game-day-recovery-down",
    {
      alarmDescription:
        "Game day stop condition: the recovery site fails Route 53's health check",
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: check.id },
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      // No data about the recovery site during a game day is trouble too.
      treatMissingData: "breaching",
      alarmActions: [regions.primary.alerts.arn],
    },
    { provider: providers.primary },
  );
  // IAM is global: the role is made with the recovery provider like every other role.
  const role = serviceRole("game-day-fis", "fis.amazonaws.com", recoveryOpts, {
    permissionsBoundary: cfg.iamPermissionsBoundary,
  });
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
      stopConditions: [
        { source: "aws:cloudwatch:alarm", value: stopAlarm.arn },
      ],
      tags: { Name: "game-day" },
    },
    { provider: providers.primary },
  );
}
