module.exports = {
  ...require("../jest.preset.js"),
  rootDir: __dirname,
  // A fresh cache of the program's runs for each test run (runnerOf in test-stack.ts), its misses
  // evaluated outside the test files (test-evaluator.ts).
  globalSetup: "<rootDir>/jest.global-setup.js",
  testEnvironment: "<rootDir>/../packages/testing/jest-environment.js",
  globalTeardown: "<rootDir>/../packages/testing/jest-global-teardown.js",
  // In band: one process, one outside evaluator warmed once. Nx runs the tools' tests (two
  // workers) beside these, so both cores stay busy; two workers here cost a third more CPU (34
  // against 25 CPU-s) for a second evaluator, its warm-up and the workers' start-up. The test
  // target sets NODE_OPTIONS (the preset's semi-space setting reaches only worker processes).
  maxWorkers: 1,
};
