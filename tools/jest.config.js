module.exports = {
  ...require("../jest.preset.js"),
  rootDir: __dirname,
  globalSetup: "<rootDir>/jest.global-setup.js",
  testEnvironment: "<rootDir>/../packages/testing/jest-environment.js",
  globalTeardown: "<rootDir>/jest.global-teardown.js",
  // The longest test project: two workers, so it never runs alone on one core at the end of
  // `npm test` (jest's default is one worker fewer than cores: one here, on two).
  maxWorkers: Math.max(2, require("node:os").availableParallelism() - 1),
};
