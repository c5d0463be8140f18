// Jest's node environment with the worker's outside evaluator (src/outside-evaluator.ts) on each
// test file's global. Jest loads this file with Node's own require, outside the test files' module
// registries, so the evaluator module it loads (built by jest-global-setup.js from the project's
// entries) and the SDK and program inside it are loaded once per worker and stay warm across files.
const { TestEnvironment } = require("jest-environment-node");

/** The test global the evaluator goes under: src/outside-evaluator.ts's EVALUATE_OUTSIDE. */
const EVALUATE_OUTSIDE = "aws-dr.evaluate-outside";
/** The environment variable naming the run's evaluator module (jest-global-setup.js). */
const EVALUATOR = "AWS_DR_EVALUATOR";

// The run's evaluator, by its file: a second run in this process (jest in band, an editor's
// runner) builds a new one from the sources as they are then.
let loaded;
// One evaluation at a time: a test that timed out leaves its evaluation running, and the next
// one would share the SDK's global state with it.
let queue = Promise.resolve();
const evaluate = (entry, args) => {
  const file = process.env[EVALUATOR];
  if (loaded?.file !== file)
    loaded = { file, evaluate: require(file).evaluate };
  const run = () => loaded.evaluate(entry, args);
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
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
