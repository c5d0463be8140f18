// The run's folder, as in every project (@aws-dr/testing's jest-global-setup.js): where the tests'
// evaluations (src/testing/cached-evaluate.ts) are shared and their temporary files go.
//
// And the bundles built once, before any worker starts: the test files that run them (policy,
// plan, mermaid, new-env, docs-commands) each call tools/build.mjs, which then only finds them
// current. Otherwise, with dist/ stale or absent (a source edited, a fresh clone), the first of
// those files rebuilds, a second one on the other worker may rebuild at the same time, and the
// docs test may copy a dist/ that is half rewritten into its scratch tree.
const { execFile } = require("node:child_process");
const path = require("node:path");
const runFolder = require("../packages/testing/jest-global-setup.js");

/** tools/build.mjs; a failure is left to the test files' own builds to report, test by test. */
const buildBundles = () =>
  new Promise((resolve) =>
    execFile(process.execPath, [path.join(__dirname, "build.mjs")], () =>
      resolve(),
    ),
  );

module.exports = async () => {
  await Promise.all([runFolder(), buildBundles()]);
};
