import { PROJECT } from "@aws-dr/contracts";
import {
  runProgram,
  toPlan,
  type Plan,
  type Program,
} from "@aws-dr/offline-plan";
import { applyOverrides, readStack, secretKeysAfter } from "./stack-config";

// The plan contract is the engine's; the tools have always named it from here.
export type { Plan, PlannedResource } from "@aws-dr/offline-plan";

/** Evaluates the program for stacks/Pulumi.<stack>.yaml plus overrides under the mock runtime. */
export async function evaluate(
  program: Program,
  stack: string,
  overrides: string[] = [],
  root?: string,
): Promise<Plan> {
  const file = readStack(stack, root);
  const config = applyOverrides(file.config, overrides);
  // `secure:` values stay secret; a --config value is plain text, as `pulumi config set` without
  // --secret would store it.
  const run = await runProgram(
    program,
    PROJECT,
    stack,
    config,
    secretKeysAfter(file.secretKeys, overrides),
  );
  return toPlan(stack, run);
}
