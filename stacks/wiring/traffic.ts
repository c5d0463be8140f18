import type * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as scheduler from "@pulumi/aws/scheduler";
import { physicalName, policyJson, serviceRole } from "@aws-dr/aws-kit";
import { SiteRecord } from "@aws-dr/dns";
import type { DeployContext } from "./context";
import type { Regions } from "./regions";
import type { Site } from "./site";

/** The Region switch plan's Route 53 health check for a site's record, where it has one. */
export type SwitchHealthChecks = Partial<
  Record<"primary" | "recovery", pulumi.Output<string>>
>;

/**
 * The app's name, when a zone is configured: a weighted, health-checked alias per site, weighted by
 * tier and failover state (the phase's weights). Names and set identifiers never change, so every tier
 * switch adds, removes or re-weights records of the one weighted model. Route 53 is global: the
 * recovery provider, which failover needs anyway, manages them. Returns the URL users reach and
 * the records made.
 */
export function routeTraffic(
  ctx: DeployContext,
  regions: Regions,
  sites: { primary: Site; recovery?: Site },
  serving: Site,
  switchChecks: SwitchHealthChecks = {},
): {
  url: pulumi.Output<string>;
  records: Partial<Record<"primary" | "recovery", SiteRecord>>;
  /** The fence's schedule, where the stack has DNS. */
  fence?: scheduler.Schedule;
} {
  const { cfg } = ctx;
  if (!cfg.dns) return { url: serving.url, records: {} };
  const { dns } = cfg;
  const { weights } = ctx.phase;
  const records: Partial<Record<"primary" | "recovery", SiteRecord>> = {};
  const fence = primaryFenceAlarm(ctx, regions.recovery.alerts.arn);
  for (const id of ["primary", "recovery"] as const) {
    const site = sites[id];
    const weight = weights[id];
    if (!site || weight === undefined) continue;
    records[id] = new SiteRecord(
      `app-${id}`,
      {
        zoneId: dns.zoneId,
        recordName: dns.recordName,
        site: id,
        weight,
        target: {
          dnsName: site.loadBalancer.dnsName,
          zoneId: site.loadBalancer.zoneId,
          scheme: site.loadBalancer.scheme,
        },
        healthCheck: { path: cfg.app.healthCheckPath, ...cfg.healthCheck },
        switchHealthCheckId: switchChecks[id],
        fenceAlarm:
          id === "primary"
            ? { name: fence.name, region: cfg.recoveryRegion }
            : undefined,
      },
      // Last: traffic moves once the serving database and fleet are in place (a promotion), and
      // if Route 53's control plane fails, everything else has already happened. A record that
      // sends its site traffic waits for that site's fleet too, so a tier upgrade grows capacity
      // before it raises the weight (the load balancer's health checks gate the instances); a
      // fleet whose record takes no traffic resizes after it (deploy.ts), so a downgrade drains first.
      {
        provider: ctx.providers.recovery,
        dependsOn: [
          ...serving.database.resources,
          serving.fleet,
          // ... and its database (a new replica after a failback, a resize on a tier move), so
          // its reads are there before its users are.
          ...(weight > 0 && site !== serving
            ? [site.fleet, ...site.database.resources]
            : []),
        ],
      },
    );
  }
  const fenceSchedule = publishPrimaryFence(ctx, records.primary);
  return {
    fence: fenceSchedule,
    url: serving.url.apply(
      () => `${serving.loadBalancer.scheme}://${dns.recordName}`,
    ),
    records,
  };
}

/** What the fence publishes: the metric its alarm (and so Route 53) reads. */
const FENCE_METRIC = { namespace: "aws-dr/Fence", name: "PrimaryFenced" };

const fenceDimensions = (environment: string) => ({ Stack: environment });

/**
 * The primary record's fence. Route 53's health check of a CloudWatch alarm evaluates the alarm's
 * data stream with the settings it copied when it was made (not the alarm's state, nor a later
 * change of it), so the fence is data: an EventBridge Scheduler schedule in the recovery region
 * publishes 1 (fenced, while failed over: phase.primaryFenced) or 0 every minute
 * (publishPrimaryFence), and this alarm, the same in every state, trips on 1. With the schedule's
 * data gone (the recovery region down), the check keeps its last state. A second alarm pages the
 * recovery topic when the fence stops publishing, in every state: a failover relies on it.
 */
function primaryFenceAlarm(
  ctx: DeployContext,
  topicArn: pulumi.Input<string>,
): cloudwatch.MetricAlarm {
  const { environment, providers } = ctx;
  const opts = { provider: providers.recovery };
  const metric = {
    namespace: FENCE_METRIC.namespace,
    metricName: FENCE_METRIC.name,
    dimensions: fenceDimensions(environment),
    period: 60,
  };
  new cloudwatch.MetricAlarm(
    "primary-fence-publishing",
    {
      name: physicalName(environment, "primary-fence-publishing", {
        maxLength: 255,
      }),
      alarmDescription: `aws-dr ${environment}: the primary's fence has published nothing for 5 minutes (its EventBridge Scheduler schedule or role); while failed over, publish it by hand (docs/disaster-day.md#fence)`,
      ...metric,
      statistic: "SampleCount",
      evaluationPeriods: 5,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      alarmActions: [topicArn],
      okActions: [topicArn],
    },
    opts,
  );
  return new cloudwatch.MetricAlarm(
    "primary-fence",
    {
      name: physicalName(environment, "primary-fence", { maxLength: 255 }),
      alarmDescription: `aws-dr ${environment}: ALARM keeps Route 53 traffic off the primary site (dr:failover)`,
      ...metric,
      statistic: "Maximum",
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "missing",
    },
    opts,
  );
}

/**
 * The schedule that publishes the fence. A failover run changes its input first (it waits for
 * nothing) with EventBridge Scheduler of the recovery region alone: the primary's health check then
 * fails in Route 53's data plane within two minutes, whether or not Route 53's control plane (in
 * us-east-1) removes the record, and stays failed when the primary region comes back. The fence
 * lifts (the failback's promote step) only after the primary record is in place, which waits for
 * the successor's promotion and the primary fleet: a primary record the failover could not delete
 * must not take traffic back before the primary site can serve it. By hand, without Pulumi:
 * publish 1 there yourself (docs/disaster-day.md#fence).
 */
function publishPrimaryFence(
  ctx: DeployContext,
  primaryRecord: SiteRecord | undefined,
): scheduler.Schedule {
  const { environment, providers, phase, accountId } = ctx;
  const opts = { provider: providers.recovery };
  const publisher = serviceRole(
    "primary-fence-publisher",
    "scheduler.amazonaws.com",
    opts,
    {
      sourceAccount: accountId,
      permissionsBoundary: ctx.cfg.iamPermissionsBoundary,
    },
  );
  const permission = new iam.RolePolicy(
    "primary-fence-publisher",
    {
      role: publisher.name,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          {
            // PutMetricData takes no resource; the condition holds it to the fence's namespace.
            Sid: "PublishTheFence",
            Effect: "Allow",
            Action: ["cloudwatch:PutMetricData"],
            Resource: "*",
            Condition: {
              StringEquals: { "cloudwatch:namespace": FENCE_METRIC.namespace },
            },
          },
        ],
      }),
    },
    { ...opts, parent: publisher },
  );
  return new scheduler.Schedule(
    "primary-fence",
    {
      description: `aws-dr ${environment}: publishes the primary's fence (1 while failed over)`,
      scheduleExpression: "rate(1 minute)",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: "arn:aws:scheduler:::aws-sdk:cloudwatch:putMetricData",
        roleArn: publisher.arn,
        input: JSON.stringify({
          Namespace: FENCE_METRIC.namespace,
          MetricData: [
            {
              MetricName: FENCE_METRIC.name,
              Dimensions: Object.entries(fenceDimensions(environment)).map(
                ([Name, Value]) => ({ Name, Value }),
              ),
              Value: phase.primaryFenced ? 1 : 0,
            },
          ],
        }),
        retryPolicy: { maximumEventAgeInSeconds: 60, maximumRetryAttempts: 3 },
      },
    },
    {
      ...opts,
      // A schedule made before its role may act fails its first invocations.
      dependsOn: [
        permission,
        ...(!phase.primaryFenced && primaryRecord ? [primaryRecord] : []),
      ],
    },
  );
}
