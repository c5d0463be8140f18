import { NO_DEPLOYED_STATE_GIVEN, PROJECT } from "@aws-dr/contracts";
import {
  runProgram,
  toPlan,
  type Plan,
  type Program,
  type RawStackConfig,
} from "@aws-dr/offline-plan";
import { applyOverrides, readStack, secretKeysAfter } from "./stack-config";

// The plan contract is the engine's; the tools have always named it from here.
export type { Plan, PlannedResource } from "@aws-dr/offline-plan";

/** What `plan` reads as the stack's last outputs when given no deployed state: check no move. */
export const NOTHING_DEPLOYED_GIVEN = { [NO_DEPLOYED_STATE_GIVEN]: true };

/**
 * What Pulumi holds for stacks/Pulumi.<stack>.yaml (under root) plus overrides: the config, and the
 * keys it holds as secrets. `secure:` values stay secret; a --config value is plain text, as
 * `pulumi config set` without --secret would store it.
 */
export function stackState(
  stack: string,
  overrides: string[],
  root?: string,
): { config: RawStackConfig; secretKeys: string[] } {
  const file = readStack(stack, root);
  return {
    config: applyOverrides(file.config, overrides),
    secretKeys: secretKeysAfter(file.secretKeys, overrides),
  };
}

/**
 * Evaluates the program for stacks/Pulumi.<stack>.yaml plus overrides under the mock runtime: its
 * plan, and the config the mock runtime held while the program read it. `deployedOutputs`: the
 * outputs of the stack's last update the program checks its move against (an earlier plan's
 * outputs, {} for a first deployment); default: none given, no move checked.
 */
export async function evaluateRun(
  program: Program,
  stack: string,
  overrides: string[] = [],
  root?: string,
  deployedOutputs: Record<string, unknown> = NOTHING_DEPLOYED_GIVEN,
): Promise<{ plan: Plan; config: RawStackConfig }> {
  const { config, secretKeys } = stackState(stack, overrides, root);
  const run = await runProgram(
    program,
    PROJECT,
    stack,
    config,
    secretKeys,
    deployedOutputs,
  );
  return { plan: toPlan(stack, run), config: run.config };
}

/** The plan of evaluateRun. */
export async function evaluate(
  ...args: Parameters<typeof evaluateRun>
): Promise<Plan> {
  return (await evaluateRun(...args)).plan;
}
