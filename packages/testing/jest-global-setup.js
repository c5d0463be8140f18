// Jest global setup: a fresh, empty cache directory for this test run's evaluations
// (src/run-cache.ts). Workers inherit the variable; jest-global-teardown.js removes the directory,
// so no run ever reads another run's results.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async () => {
  process.env.AWS_DR_RUN_CACHE = fs.mkdtempSync(
    path.join(os.tmpdir(), "aws-dr-run-cache-"),
  );
};
