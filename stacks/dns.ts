import { AppRecord } from "@aws-dr/dns";
import type { DeployContext } from "./context";
import type { Site } from "./site";

/**
 * Points the app's name at the serving site's load balancer, when a zone is configured. The record
 * keeps one name and provider, so failing over is an in-place update. Route 53 is global: any
 * provider reaches the same API, and the recovery provider is the one failover needs anyway.
 * Re-pointing a record is a Route 53 control-plane call (hosted in us-east-1), so at this tier
 * failover depends on that control plane; tiers with a standby site use health-checked failover
 * records instead, which move traffic in Route 53's data plane.
 */
export function pointAppRecordAt(
  ctx: DeployContext,
  serving: Site,
): AppRecord | undefined {
  const { dns } = ctx.cfg;
  if (!dns) return undefined;
  return new AppRecord(
    "app",
    {
      zoneId: dns.zoneId,
      recordName: dns.recordName,
      targetDnsName: serving.loadBalancer.dnsName,
      targetZoneId: serving.loadBalancer.zoneId,
    },
    { provider: ctx.providers.recovery },
  );
}
