import type * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { physicalName } from "@aws-dr/aws-kit";
import { SiteRecord } from "@aws-dr/dns";
import type { DeployContext } from "./context";
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
  sites: { primary: Site; recovery?: Site },
  serving: Site,
  switchChecks: SwitchHealthChecks = {},
): {
  url: pulumi.Output<string>;
  records: Partial<Record<"primary" | "recovery", SiteRecord>>;
} {
  const { cfg } = ctx;
  if (!cfg.dns) return { url: serving.url, records: {} };
  const { dns } = cfg;
  const { weights } = ctx.phase;
  const records: Partial<Record<"primary" | "recovery", SiteRecord>> = {};
  const fence = primaryFence(ctx);
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
          serving.database.instance,
          serving.fleet,
          ...(weight > 0 && site !== serving ? [site.fleet] : []),
        ],
      },
    );
  }
  return {
    url: serving.url.apply(
      () => `${serving.loadBalancer.scheme}://${dns.recordName}`,
    ),
    records,
  };
}

/**
 * The primary record's fence: an alarm in the recovery region on a metric nobody publishes, so
 * its state is its missing-data rule, ALARM while failed over (phase.primaryFenced). A failover
 * run changes it first (it waits for nothing), with CloudWatch in the recovery region: the primary's
 * health check then fails in Route 53's data plane, whether or not Route 53's control plane (in
 * us-east-1) removes the record, and stays failed when the primary region comes back. By hand,
 * without Pulumi: `aws cloudwatch put-metric-alarm` with the same settings and
 * `--treat-missing-data breaching`, in the recovery region (docs/disaster-day.md#fence).
 */
function primaryFence(ctx: DeployContext): cloudwatch.MetricAlarm {
  const name = physicalName(ctx.environment, "primary-fence", {
    maxLength: 255,
  });
  return new cloudwatch.MetricAlarm(
    "primary-fence",
    {
      name,
      alarmDescription: `aws-dr ${ctx.environment}: ALARM keeps Route 53 traffic off the primary site (dr:failover)`,
      namespace: "aws-dr/Fence",
      metricName: "PrimaryFenced",
      dimensions: { Stack: ctx.environment },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: ctx.phase.primaryFenced ? "breaching" : "notBreaching",
    },
    { provider: ctx.providers.recovery },
  );
}
