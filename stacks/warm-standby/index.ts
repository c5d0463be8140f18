import type { DeployContext, TierOutputs } from "../context";
import { deployStandby } from "../standby";

/**
 * Warm standby: pilot light plus a small fleet (dr:warmStandby) always serving health checks, so
 * Route 53 moves traffic to it by itself when the primary fails; dr:failover=true then scales it up.
 */
export function deployWarmStandby(ctx: DeployContext): TierOutputs {
  return deployStandby(ctx, {
    replicaInstanceClass: ctx.cfg.warmStandby.replicaInstanceClass,
  });
}
