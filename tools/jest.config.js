module.exports = {
  ...require("../jest.preset.js"),
  rootDir: __dirname,
  globalSetup: "<rootDir>/jest.global-setup.js",
  // The longest test project: two workers (threads of jest's process), so it never runs alone on
  // one core at the end of `npm test` (jest's default is one worker fewer than cores: one here).
  maxWorkers: Math.max(2, require("node:os").availableParallelism() - 1),
};
