import type { DeployContext, TierOutputs } from "../context";
import { deployStandby } from "../standby";

/**
 * Active-active: two full sites serving every day. The recovery fleet runs the primary's size,
 * Route 53 splits traffic by dr:dns.weights and drops an unhealthy site by itself, and the recovery
 * site reads its local replica and writes to the primary's database over inter-region VPC peering.
 * dr:failover=true promotes the replica in place, resizes it, and sends all traffic to the recovery
 * site; Auto Scaling grows its fleet to the load.
 */
export function deployActiveActive(ctx: DeployContext): TierOutputs {
  const { cfg } = ctx;
  return deployStandby(ctx, {
    replicaInstanceClass: cfg.activeActive.replicaInstanceClass,
    // It serves a full site's reads: as available as the primary.
    replicaMultiAz: cfg.database.multiAz,
    peering: true,
  });
}
