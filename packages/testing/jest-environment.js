// Jest's node environment with the worker's outside evaluator (src/outside-evaluator.ts) on each
// test file's global. Jest loads this file with Node's own require, outside the test files' module
// registries, so the evaluator module it loads (built by jest-global-setup.js from the project's
// entries) and the SDK and program inside it are loaded once per worker and stay warm across files.
const { TestEnvironment } = require("jest-environment-node");

/** The test global the evaluator goes under: src/outside-evaluator.ts's EVALUATE_OUTSIDE. */
const EVALUATE_OUTSIDE = "aws-dr.evaluate-outside";
/** The environment variable naming the run's evaluator module (jest-global-setup.js). */
const EVALUATOR = "AWS_DR_EVALUATOR";

let evaluator;
const evaluate = (entry, args) => {
  evaluator ??= require(process.env[EVALUATOR]).evaluate;
  return evaluator(entry, args);
};

class OutsideEvaluatorEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    if (process.env[EVALUATOR]) this.global[EVALUATE_OUTSIDE] = evaluate;
  }
}

module.exports = OutsideEvaluatorEnvironment;
module.exports.EVALUATE_OUTSIDE = EVALUATE_OUTSIDE;
module.exports.EVALUATOR = EVALUATOR;
