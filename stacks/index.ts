import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { createProviders } from "@aws-dr/aws-kit";
import { estimateRpo, estimateRto, modelInputs } from "@aws-dr/model";
import { DR_STATE_OUTPUT } from "@aws-dr/model";
import { loadStackConfig } from "./config";
import { checkDeployedState, publishState } from "./deployed-state";
import { refuseStaleBundle } from "./freshness";
import { TIER_PROFILES } from "./profiles";
import { phaseOf } from "./settings";
import { requireAuroraWriter } from "./wiring/aurora-writer";
import { databasePassword } from "./wiring/database-password";
import { deployStack } from "./wiring/deploy";

/**
 * The aws-dr program. Validates all `dr:` config and checks the move from the deployed state
 * before registering any resource, resolves what each site runs in the configured state (the
 * phase), then builds it and publishes the state once it is real. Exported as a function: Pulumi
 * calls it and publishes its result as outputs.
 */
async function main(): Promise<Record<string, unknown>> {
  refuseStaleBundle();
  const { cfg, warnings } = loadStackConfig();
  for (const warning of warnings) void pulumi.log.warn(warning);
  const { state, leavingFailover } = await checkDeployedState(cfg);
  const profile = TIER_PROFILES[cfg.tier];
  const model = modelInputs(cfg, TIER_PROFILES);
  const phase = phaseOf(cfg);
  const environment = pulumi.getStack();
  const providers = createProviders(cfg, environment);
  await requireAuroraWriter(
    cfg,
    phase,
    providers,
    environment,
    leavingFailover,
  );
  const { outputs, realized } = deployStack({
    cfg,
    phase,
    providers,
    environment,
    // STS of the recovery region (see createProviders): answers while the primary region is down.
    accountId: getCallerIdentityOutput({}, { provider: providers.recovery })
      .accountId,
    databasePassword: databasePassword(cfg.databasePassword),
    realized: [],
  });
  return {
    tier: cfg.tier,
    failover: cfg.failover,
    primaryRegion: cfg.primaryRegion,
    recoveryRegion: cfg.recoveryRegion,
    servingRegion:
      phase.serving === "recovery" ? cfg.recoveryRegion : cfg.primaryRegion,
    // The recovery model's estimates for this tier (npm run assess shows their parts).
    estimatedRpoMinutes: estimateRpo(profile, model).minutes,
    estimatedRtoMinutes: estimateRto(profile, model).minutes,
    ...outputs,
    [DR_STATE_OUTPUT]: publishState(state, realized, providers.recovery),
  };
}

export = main;
