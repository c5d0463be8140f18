// Jest global setup of every project (jest.preset.js): one folder for this test run, which
// jest-global-teardown.js removes, whatever the tests left in it. It holds
// - the run's cache of evaluations (src/run-cache.ts), shared by every worker and test file and
//   empty at the start, so no run ever reads another run's results;
// - the run's temporary files: TMPDIR points into it, so the scratch copies, stand-in commands and
//   outputs the tests make with os.tmpdir() (and the processes they start) go with the run.
// Workers inherit the variables.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async () => {
  // A second run in this process (jest in band runs the tests in it: --watch, a runner in an
  // editor) loads the test files and sources as they are now, not as the first run required them.
  for (const file of Object.keys(require.cache))
    if (file.endsWith(".ts")) delete require.cache[file];
  // One run per process: a second project's setup would take over the first one's folder.
  if (process.env.AWS_DR_TEST_RUN)
    throw new Error("a test run folder is already set up in this process");
  const run = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-test-run-"));
  for (const dir of ["cache", "tmp"]) fs.mkdirSync(path.join(run, dir));
  process.env.AWS_DR_TEST_RUN = run;
  process.env.AWS_DR_TEST_RUN_TMPDIR = process.env.TMPDIR ?? "";
  process.env.AWS_DR_RUN_CACHE = path.join(run, "cache");
  process.env.TMPDIR = path.join(run, "tmp");
};
