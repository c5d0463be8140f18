// The tool tests' outside evaluator (@aws-dr/testing's outside-evaluator.ts): the plans and policy
// evaluations of the source program that cached-evaluate.ts asks the run cache for, evaluated in
// the jest worker outside the test files; ../../jest.global-setup.js bundles it for each test run.
import program = require("@aws-dr/stacks");
import { outsideEvaluator } from "@aws-dr/testing";
import { evaluate as planOf } from "../evaluate";
import { evaluateStack } from "../policy-check";

export const evaluate = outsideEvaluator({
  evaluateStack: (stack: string, overrides: string[]) =>
    evaluateStack(program, stack, overrides),
  plan: (
    stack: string,
    overrides: string[],
    root: string | undefined,
    deployedOutputs: Record<string, unknown>,
  ) => planOf(program, stack, overrides, root, deployedOutputs),
});
