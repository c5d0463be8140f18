import * as resiliencehub from "@pulumi/aws/resiliencehub";
import { physicalName } from "@aws-dr/aws-kit";
import { TIER_PROFILES } from "../profiles";
import type { DeployContext } from "../wiring/context";

/**
 * An AWS Resilience Hub resiliency policy with the stack's dr:targets, at every tier: assess the
 * application against it in Resilience Hub. Managed in the recovery region, like everything a
 * failover might touch.
 */
export function resiliencyPolicy({
  cfg,
  environment,
  providers,
}: DeployContext): void {
  const objective = {
    rto: `${cfg.targets.rtoMinutes}m`,
    rpo: `${cfg.targets.rpoMinutes}m`,
  };
  new resiliencehub.ResiliencyPolicy(
    "resiliency-policy",
    {
      name: physicalName(environment, "resiliency", { maxLength: 60 }),
      description: `aws-dr ${environment}: dr:targets at ${cfg.tier}`,
      tier: TIER_PROFILES[cfg.tier].resilienceTier,
      // The same objectives for every kind of failure: a smaller one must not recover slower.
      policy: {
        region: objective,
        az: objective,
        hardware: objective,
        software: objective,
      },
    },
    { provider: providers.recovery },
  );
}
