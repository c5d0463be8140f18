// A fresh run cache for each test run, and the misses evaluated outside the test files
// (test-evaluator.ts; @aws-dr/testing's jest-global-setup.js).
module.exports =
  require("../packages/testing/jest-global-setup.js").withOutsideEvaluator(
    "stacks/test-evaluator.ts",
  );
