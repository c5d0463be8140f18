// Jest global setup of a project whose tests share their evaluations (src/run-cache.ts): a fresh,
// empty cache directory for this test run, which every worker inherits and
// jest-global-teardown.js removes, so no run ever reads another run's results.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async () => {
  // One run per process: a second project's setup would take over the first one's directory.
  if (process.env.AWS_DR_RUN_CACHE)
    throw new Error("a run cache is already set up in this process");
  process.env.AWS_DR_RUN_CACHE = fs.mkdtempSync(
    path.join(os.tmpdir(), "aws-dr-run-cache-"),
  );
};
