// One folder per test run where the tests' evaluations (src/testing/cached-evaluate.ts over
// @aws-dr/testing's run cache) are shared across test files; removed by the global teardown.
module.exports = require("../packages/testing/jest-global-setup.js");
