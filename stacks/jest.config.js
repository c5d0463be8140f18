module.exports = {
  ...require("../jest.preset.js"),
  rootDir: __dirname,
  // A fresh cache of the program's runs for each test run (runnerOf in test-stack.ts), its misses
  // evaluated by each worker's evaluator, outside the test files (test-evaluator.ts).
  globalSetup: "<rootDir>/jest.global-setup.js",
  testEnvironment: "<rootDir>/../packages/testing/jest-environment.js",
  globalTeardown: "<rootDir>/../packages/testing/jest-global-teardown.js",
  // With the tools, the longest test project: two workers, so it never runs alone on one core
  // (jest's default is one worker fewer than cores: one here, on two).
  maxWorkers: Math.max(2, require("node:os").availableParallelism() - 1),
};
