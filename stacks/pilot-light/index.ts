import type { DeployContext, TierOutputs } from "../context";
import { deployStandby } from "../standby";

/**
 * Pilot light: the recovery region runs the database replica and keeps the site defined at zero
 * instances. Recovery: promote, scale up, move traffic (dr:failover=true).
 */
export function deployPilotLight(ctx: DeployContext): TierOutputs {
  return deployStandby(ctx, {
    replicaInstanceClass: ctx.cfg.pilotLight.replicaInstanceClass,
  });
}
