import * as pulumi from "@pulumi/pulumi";
import * as ssm from "@pulumi/aws/ssm";
import { NO_DEPLOYED_STATE_GIVEN } from "@aws-dr/contracts";
import {
  checkMove,
  ConfigError,
  DR_STATE_OUTPUT,
  drStateOf,
  publishedStateOf,
  readDeployed,
  type PublishedState,
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
  // Where an earlier version's outputs show the generation (its databases' names).
  "databaseAddress",
  "recoveryDatabaseUrn",
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
 * Returns the state this run publishes once it is real, numbered after the deployed one, and
 * whether this run leaves a deployed failover.
 */
export async function checkDeployedState(
  cfg: StackConfig,
): Promise<{ state: PublishedState; leavingFailover: boolean }> {
  const desired = drStateOf(cfg);
  const outputs = await deployedOutputs();
  const deployed = readDeployed(outputs);
  if (outputs[NO_DEPLOYED_STATE_GIVEN] === true)
    return {
      state: publishedStateOf({ kind: "none" }, desired),
      leavingFailover: false,
    };
  const verdict = checkMove(
    deployed,
    desired,
    TIER_PROFILES,
    cfg.overrideDeployedState,
  );
  if (!verdict.allowed) throw new ConfigError([verdict.problem]);
  if (verdict.warning) void pulumi.log.warn(verdict.warning);
  const wasFailedOver =
    deployed.kind === "known" ? deployed.state.failover : false;
  return {
    state: publishedStateOf(deployed, desired),
    leavingFailover: wasFailedOver && !cfg.failover,
  };
}

/** The SSM parameter, in the recovery region, that holds the last published state. */
export const stateMarkerName = (project: string, stack: string) =>
  `/dr-state/${project}/${stack}`;

/**
 * The DR state as a stack output, and its copy outside the state backend. The copy is an SSM
 * parameter in the recovery region, written once everything that makes the state real has been
 * (DeployContext.realized); the output resolves once the copy is written. So an update that fails
 * on any of them leaves the last state in both, and on disaster day, when the backend is read
 * from its recovery-region replica (up to 15 minutes behind), a sequence in the copy ahead of
 * the backend's shows the read is stale (docs/deployed-state.md#freshness). The copy changes only
 * with the state, so a run that moves nothing calls nothing in the recovery region for it.
 */
export function publishState(
  state: PublishedState,
  realized: pulumi.Output<unknown>[],
  provider: pulumi.ProviderResource,
): pulumi.Output<PublishedState> {
  const marker = new ssm.Parameter(
    "deployed-state-marker",
    {
      name: stateMarkerName(pulumi.getProject(), pulumi.getStack()),
      type: "String",
      // Not secret: the state must read the same in every diff and to the workflow that checks it.
      insecureValue: pulumi.all(realized).apply(() => JSON.stringify(state)),
      description:
        "aws-dr: the DR state the last update of this stack made real (docs/deployed-state.md#freshness)",
      // A copy left by an earlier stack of this name, or one whose checkpoint lost it (a state
      // import, a rollback), is taken over: the provider would otherwise refuse to create it, and
      // every run would fail there.
      overwrite: true,
    },
    { provider },
  );
  return marker.insecureValue.apply(() => state);
}
