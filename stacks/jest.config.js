module.exports = {
  ...require("../jest.preset.js"),
  rootDir: __dirname,
  // In band: the tests run in jest's own process, the program warmed once. Nx runs the tools'
  // tests (two workers) beside these, so both cores stay busy.
  maxWorkers: 1,
};
