// The tests' evaluate, evaluateStack and plan command: the same signatures as ../evaluate's,
// ../policy-check's and ../cli's, with each state of the source program evaluated once per test run
// (@aws-dr/testing's cachedEvaluation: shared by every test file and worker through the folder the
// run's global setup makes and removes, a fresh copy for each caller, errors never cached). A state
// is the stack, its whole config after the overrides and its secret keys, however the overrides
// spell it. A program other than the sources (the built bundle) is always evaluated for real.
import program = require("@aws-dr/stacks");
import { PROJECT } from "@aws-dr/contracts";
import { cachedEvaluation, type Program } from "@aws-dr/testing";
import { runCli as runCliForReal } from "../cli";
import {
  evaluate as evaluateForReal,
  NOTHING_DEPLOYED_GIVEN,
  type Plan,
} from "../evaluate";
import {
  evaluateStack as evaluateStackForReal,
  type EvaluatedStack,
} from "../policy-check";
import { applyOverrides, readStack, secretKeysAfter } from "../stack-config";

/**
 * Everything a state's result depends on; undefined for another program, or where the stack or an
 * override is bad (a real evaluation then throws the error).
 */
function stateOf(
  evaluated: Program,
  stack: string,
  overrides: string[],
  root?: string,
) {
  if (evaluated !== program) return undefined;
  try {
    const file = readStack(stack, root);
    return {
      program: "stacks source",
      project: PROJECT,
      stack,
      config: applyOverrides(file.config, overrides),
      secretKeys: secretKeysAfter(file.secretKeys, overrides),
    };
  } catch {
    return undefined;
  }
}

/**
 * One state's plan and the config the mock runtime held for it, evaluated by ../policy-check's
 * evaluateStack (which evaluates as ../evaluate does, in the repository): a plan and a policy check
 * of one state share one evaluation.
 */
function evaluatedStackOf(
  state: NonNullable<ReturnType<typeof stateOf>>,
  overrides: string[],
): Promise<EvaluatedStack> {
  return cachedEvaluation({ evaluation: "evaluateStack", ...state }, () =>
    evaluateStackForReal(program, state.stack, overrides),
  );
}

export async function evaluate(
  evaluated: Program,
  stack: string,
  overrides: string[] = [],
  root?: string,
  deployedOutputs: Record<string, unknown> = NOTHING_DEPLOYED_GIVEN,
): Promise<Plan> {
  const state = stateOf(evaluated, stack, overrides, root);
  if (!state)
    return evaluateForReal(evaluated, stack, overrides, root, deployedOutputs);
  // Checked against a deployed state, or a stack file of another root (a scratch repository):
  // planned on its own.
  if (deployedOutputs !== NOTHING_DEPLOYED_GIVEN || root !== undefined) {
    return cachedEvaluation(
      { evaluation: "plan", root, deployedOutputs, ...state },
      () => evaluateForReal(evaluated, stack, overrides, root, deployedOutputs),
    );
  }
  return (await evaluatedStackOf(state, overrides)).plan;
}

/** The plan and the config the mock runtime held for it, as ../policy-check's evaluateStack. */
export async function evaluateStack(
  evaluated: Program,
  stack: string,
  overrides: string[] = [],
): Promise<EvaluatedStack> {
  const state = stateOf(evaluated, stack, overrides);
  if (!state) return evaluateStackForReal(evaluated, stack, overrides);
  return evaluatedStackOf(state, overrides);
}

/** The plan command as the tests run it: the real command line over the shared evaluations. */
export const runCli = (argv: string[], evaluated: Program) =>
  runCliForReal(argv, evaluated, evaluate);
