import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import {
  createProviders,
  estimateRpo,
  estimateRto,
  loadConfig,
  modelInputs,
  TIERS,
} from "@aws-dr/core";
import { databasePassword } from "./context";
import { refuseStaleBundle } from "./freshness";
import { TIER_KEYS } from "./settings";
import { TIER_DEPLOYMENTS } from "./tiers";

/**
 * The aws-dr program. Validates all `dr:` config before registering any resource, then wires the
 * configured tier. Exported as a function: Pulumi calls it and publishes its result as outputs.
 */
async function main(): Promise<Record<string, unknown>> {
  refuseStaleBundle();
  const { cfg, warnings } = loadConfig(TIERS, TIER_KEYS);
  for (const warning of warnings) void pulumi.log.warn(warning);
  const deploy = TIER_DEPLOYMENTS[cfg.tier];
  const model = modelInputs(cfg, TIER_KEYS);
  const environment = pulumi.getStack();
  const providers = createProviders(cfg, environment);
  const outputs = deploy({
    cfg,
    providers,
    environment,
    // STS of the recovery region (see createProviders): answers while the primary region is down.
    accountId: getCallerIdentityOutput({}, { provider: providers.recovery })
      .accountId,
    databasePassword: databasePassword(cfg),
  });
  return {
    tier: cfg.tier,
    failover: cfg.failover,
    primaryRegion: cfg.primaryRegion,
    recoveryRegion: cfg.recoveryRegion,
    servingRegion: cfg.failover ? cfg.recoveryRegion : cfg.primaryRegion,
    // The recovery model's estimates for this tier (npm run assess shows their parts).
    estimatedRpoMinutes: estimateRpo(cfg.tier, model, cfg.targets.rpoMinutes)
      .minutes,
    estimatedRtoMinutes: estimateRto(cfg.tier, model).minutes,
    ...outputs,
  };
}

export = main;
