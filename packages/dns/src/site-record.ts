import * as pulumi from "@pulumi/pulumi";
import * as route53 from "@pulumi/aws/route53";
import { HTTP_PORT, HTTPS_PORT } from "@aws-dr/contracts";

export interface SiteRecordArgs {
  zoneId: string;
  /** Fully qualified name users reach the app at, e.g. app.example.com. */
  recordName: string;
  /** The record's set identifier, fixed for life: changing it replaces the record. */
  site: "primary" | "recovery";
  /** Route 53 weight, 0 to 255: 0 takes traffic only when every weighted sibling is unhealthy. */
  weight: number;
  /** The site's load balancer. */
  target: {
    dnsName: pulumi.Input<string>;
    zoneId: pulumi.Input<string>;
    scheme: "https" | "http";
  };
  /** Route 53's check of the site: the app's health path, seconds between checks, failures to trip. */
  healthCheck: {
    path: string;
    intervalSeconds: number;
    failureThreshold: number;
  };
  /**
   * A health check an operator's switch sets (an ARC Region switch plan's, for this site's region):
   * the record then answers only while both checks are healthy. A record holds one health check,
   * so the two are combined in a calculated check.
   */
  switchHealthCheckId?: pulumi.Input<string>;
  /**
   * A CloudWatch alarm whose ALARM state fences the site: a Route 53 health check of it joins the
   * record's, so the record answers only while the alarm is OK. Route 53's health checkers read it
   * in their data plane: setting the alarm needs CloudWatch in the alarm's region, not Route 53's
   * control plane.
   */
  fenceAlarm?: { name: pulumi.Input<string>; region: string };
}

/**
 * A Route 53 health check of a load balancer on the app's health path, over the site's scheme.
 * (Health checkers do not validate TLS certificates, so an HTTPS check against the ALB's own DNS
 * name works.)
 */
export function loadBalancerHealthCheck(
  name: string,
  target: { dnsName: pulumi.Input<string>; scheme: "https" | "http" },
  healthCheck: SiteRecordArgs["healthCheck"],
  label: string,
  opts: pulumi.CustomResourceOptions,
): route53.HealthCheck {
  const https = target.scheme === "https";
  return new route53.HealthCheck(
    name,
    {
      type: https ? "HTTPS" : "HTTP",
      fqdn: target.dnsName,
      port: https ? HTTPS_PORT : HTTP_PORT,
      enableSni: https ? true : undefined,
      resourcePath: healthCheck.path,
      requestInterval: healthCheck.intervalSeconds,
      failureThreshold: healthCheck.failureThreshold,
      tags: { Name: label },
    },
    opts,
  );
}

/**
 * One site's weighted alias record for the app's name, with a Route 53 health check of the site's
 * load balancer. Route 53 stops answering with an unhealthy site by itself, in its data plane, so
 * traffic moves without any API call.
 */
export class SiteRecord extends pulumi.ComponentResource {
  readonly fqdn: pulumi.Output<string>;
  readonly healthCheckId: pulumi.Output<string>;

  constructor(
    name: string,
    args: SiteRecordArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:dns:SiteRecord", name, {}, opts);
    if (!Number.isInteger(args.weight) || args.weight < 0 || args.weight > 255)
      throw new pulumi.ResourceError(
        `weight ${args.weight} is not a Route 53 weight (0 to 255)`,
        this,
      );
    const check = loadBalancerHealthCheck(
      `${name}-health`,
      args.target,
      args.healthCheck,
      `${args.recordName} ${args.site}`,
      { parent: this },
    );
    const fence = args.fenceAlarm
      ? new route53.HealthCheck(
          `${name}-fence`,
          {
            type: "CLOUDWATCH_METRIC",
            cloudwatchAlarmName: args.fenceAlarm.name,
            cloudwatchAlarmRegion: args.fenceAlarm.region,
            // Unknown to Route 53 (CloudWatch of that region unreachable): as it last was.
            insufficientDataHealthStatus: "LastKnownStatus",
            tags: { Name: `${args.recordName} ${args.site} fence` },
          },
          { parent: this },
        )
      : undefined;
    const children = [
      check.id,
      ...(args.switchHealthCheckId ? [args.switchHealthCheckId] : []),
      ...(fence ? [fence.id] : []),
    ];
    const combined =
      children.length > 1
        ? new route53.HealthCheck(
            `${name}-combined`,
            {
              type: "CALCULATED",
              childHealthchecks: children,
              childHealthThreshold: children.length,
              tags: {
                Name: `${args.recordName} ${args.site} and its ${[
                  ...(args.switchHealthCheckId ? ["switch"] : []),
                  ...(fence ? ["fence"] : []),
                ].join(" and ")}`,
              },
            },
            { parent: this },
          )
        : check;
    const record = new route53.Record(
      name,
      {
        zoneId: args.zoneId,
        name: args.recordName,
        type: "A",
        setIdentifier: args.site,
        weightedRoutingPolicies: [{ weight: args.weight }],
        healthCheckId: combined.id,
        aliases: [
          {
            name: args.target.dnsName,
            zoneId: args.target.zoneId,
            evaluateTargetHealth: true,
          },
        ],
      },
      { parent: this },
    );
    this.fqdn = record.fqdn;
    this.healthCheckId = check.id;
    this.registerOutputs({
      fqdn: this.fqdn,
      healthCheckId: this.healthCheckId,
    });
  }
}
