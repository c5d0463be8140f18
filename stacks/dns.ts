import { AppRecord } from "@aws-dr/dns";
import type { DeployContext } from "./context";
import type { Site } from "./site";

/**
 * Points the app's name at the serving site's load balancer, when a zone is configured. The record
 * keeps one name and provider, so failing over is an in-place update. Route 53 is global, but the
 * provider that writes the record must be configurable (its regional STS endpoint answering) at
 * failover time, when the primary region may be down: so the record is managed through the
 * recovery-region provider.
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
