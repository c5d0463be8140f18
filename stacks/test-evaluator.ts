// The stack tests' outside evaluator (@aws-dr/testing's outside-evaluator.ts): the runs of the
// program that test-stack.ts asks the run cache for, evaluated in the jest worker outside the test
// files; jest.global-setup.js bundles it for each test run.
import {
  outsideEvaluator,
  recordsOfRun,
  runEntry,
  type RunArgs,
} from "@aws-dr/testing";
import program = require("./index");

export const evaluate = outsideEvaluator({
  [runEntry("stacks source")]: (...args: RunArgs) =>
    recordsOfRun(program, ...args),
});
