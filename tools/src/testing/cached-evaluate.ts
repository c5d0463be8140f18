// The tests' evaluateRun, evaluate, evaluateStack and plan command: the same signatures as
// ../evaluate's, ../policy-check's and ../cli's, with each state of the source program evaluated
// once per test run (@aws-dr/testing's cachedEvaluation: shared by every test file and worker
// through the folder the run's global setup makes and removes, a fresh copy for each caller, errors
// never cached). A state is the stack, its whole config after the overrides and its secret keys,
// however the overrides spell it. A program other than the sources (the built bundle) is always
// evaluated for real.
import program = require("@aws-dr/stacks");
import { PROJECT } from "@aws-dr/contracts";
import { cachedEvaluation, type Program } from "@aws-dr/testing";
import { runCli as runCliForReal } from "../cli";
import {
  evaluateRun as evaluateRunForReal,
  NOTHING_DEPLOYED_GIVEN,
  stackState,
  type Plan,
} from "../evaluate";
import { withConfig, type EvaluatedStack } from "../policy-check";

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
    return {
      program: "stacks source",
      project: PROJECT,
      stack,
      ...stackState(stack, overrides, root),
    };
  } catch {
    return undefined;
  }
}

/**
 * A state's plan and the config the mock runtime held for it, as ../evaluate's evaluateRun. The key
 * leaves out the root the stack file was read from: the state holds the config read there, and
 * nothing else of the root reaches the program, so a scratch copy of the repository (the docs
 * test's) shares the evaluations of the repository's own stack files. A plan and a policy check of
 * one state share one evaluation too: ../policy-check's evaluateStack is evaluateRun with a check,
 * which evaluateStack below makes of every result, cached or not.
 */
export async function evaluateRun(
  ...args: Parameters<typeof evaluateRunForReal>
): Promise<EvaluatedStack> {
  const [
    evaluated,
    stack,
    overrides = [],
    root,
    deployedOutputs = NOTHING_DEPLOYED_GIVEN,
  ] = args;
  const state = stateOf(evaluated, stack, overrides, root);
  const evaluateForReal = () => evaluateRunForReal(...args);
  if (!state) return evaluateForReal();
  return cachedEvaluation(
    { evaluation: "evaluateRun", deployedOutputs, ...state },
    evaluateForReal,
  );
}

export async function evaluate(
  ...args: Parameters<typeof evaluateRun>
): Promise<Plan> {
  return (await evaluateRun(...args)).plan;
}

/** The plan and the config the mock runtime held for it, as ../policy-check's evaluateStack. */
export async function evaluateStack(
  evaluated: Program,
  stack: string,
  overrides: string[] = [],
): Promise<EvaluatedStack> {
  return withConfig(stack, await evaluateRun(evaluated, stack, overrides));
}

/** The plan command as the tests run it: the real command line over the shared evaluations. */
export const runCli = (argv: string[], evaluated: Program) =>
  runCliForReal(argv, evaluated, evaluate);
