module.exports = {
  ...require("../jest.preset.js"),
  rootDir: __dirname,
  // A fresh cache of the program's runs for each test run (runnerOf in test-stack.ts).
  globalSetup: "<rootDir>/../packages/testing/jest-global-setup.js",
  globalTeardown: "<rootDir>/../packages/testing/jest-global-teardown.js",
  // In band: the tests run in jest's own process, the program warmed once. Nx runs the tools'
  // tests (two workers) beside these, so both cores stay busy.
  maxWorkers: 1,
};
