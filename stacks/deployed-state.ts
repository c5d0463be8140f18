import * as pulumi from "@pulumi/pulumi";
import { NO_DEPLOYED_STATE_GIVEN } from "@aws-dr/contracts";
import {
  checkMove,
  ConfigError,
  DR_STATE_OUTPUT,
  drStateOf,
  readDeployed,
  type DrState,
} from "@aws-dr/model";
import { TIER_PROFILES } from "./profiles";
import type { StackConfig } from "./settings";

/** The outputs the deployed-state check reads: the state, and what every earlier version wrote. */
const READ = [
  DR_STATE_OUTPUT,
  "tier",
  "failover",
  "primaryRegion",
  "recoveryRegion",
  NO_DEPLOYED_STATE_GIVEN,
];

/**
 * The last update's outputs of this very stack, through a StackReference to it (the state backend
 * answers with the outputs of the last update; a stack never deployed has none). Read before
 * anything else is registered, so a refused move registers nothing.
 */
async function deployedOutputs(): Promise<Record<string, unknown>> {
  const self = new pulumi.StackReference("deployed-state", {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  const outputs: Record<string, unknown> = {};
  for (const name of READ) {
    const details = await self.getOutputDetails(name);
    const value = details.value ?? details.secretValue;
    if (value !== undefined) outputs[name] = value;
  }
  return outputs;
}

/**
 * Refuses the config's move from the deployed state (ConfigError, one message naming the key, what
 * is deployed, what may come next and the runbook section), or warns where dr:overrideDeployedState
 * lets it past. An offline plan given no deployed state checks nothing (NO_DEPLOYED_STATE_GIVEN).
 * Returns the state this run publishes once it is real.
 */
export async function checkDeployedState(cfg: StackConfig): Promise<DrState> {
  const desired = drStateOf(cfg);
  const outputs = await deployedOutputs();
  if (outputs[NO_DEPLOYED_STATE_GIVEN] === true) return desired;
  const verdict = checkMove(
    readDeployed(outputs),
    desired,
    TIER_PROFILES,
    cfg.overrideDeployedState,
  );
  if (!verdict.allowed) throw new ConfigError([verdict.problem]);
  if (verdict.warning) void pulumi.log.warn(verdict.warning);
  return desired;
}

/**
 * The DR state as a stack output that resolves only once everything that makes it real has (see
 * DeployedStack.realized): an update that fails on any of them leaves the last state published.
 */
export function publishedState(
  state: DrState,
  realized: pulumi.Output<unknown>[],
): pulumi.Output<DrState> {
  return pulumi.all(realized).apply(() => state);
}
