// One folder per test run where the tests' evaluations (src/testing/cached-evaluate.ts over
// @aws-dr/testing's run cache) are shared across test files, their misses evaluated by each
// worker's evaluator outside the test files (src/testing/evaluator.ts); the global teardown
// removes both.
module.exports =
  require("../packages/testing/jest-global-setup.js").withOutsideEvaluator(
    "tools/src/testing/evaluator.ts",
  );
