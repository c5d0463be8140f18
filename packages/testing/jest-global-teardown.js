// Jest global teardown: removes this run's folder, its evaluation cache and temporary files
// included, and gives TMPDIR back (jest-global-setup.js).
const fs = require("node:fs");

module.exports = async () => {
  const run = process.env.AWS_DR_TEST_RUN;
  if (!run) return;
  const tmpdir = process.env.AWS_DR_TEST_RUN_TMPDIR;
  if (tmpdir) process.env.TMPDIR = tmpdir;
  else delete process.env.TMPDIR;
  for (const variable of [
    "AWS_DR_TEST_RUN",
    "AWS_DR_TEST_RUN_TMPDIR",
    "AWS_DR_RUN_CACHE",
  ])
    delete process.env[variable];
  fs.rmSync(run, { recursive: true, force: true });
};
