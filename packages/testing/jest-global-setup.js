// Jest global setup of a project whose run-cache misses are evaluated outside the test files
// (src/outside-evaluator.ts): a fresh, empty cache directory for this test run's evaluations
// (src/run-cache.ts) and the project's evaluator built from the sources as they are now. Workers
// inherit both variables; jest-global-teardown.js removes both, so no run ever reads another
// run's results or code.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { EVALUATOR } = require("./jest-environment.js");

/** How the name of a run's evaluator bundle in dist/ starts. */
const TEST_EVALUATOR_PREFIX = "test-evaluator-";
module.exports.TEST_EVALUATOR_PREFIX = TEST_EVALUATOR_PREFIX;

/**
 * `entries` (a path from the repository root) exports `evaluate`, an outsideEvaluator of its
 * entries. The bundle goes in dist/, beside the tools' bundles, so a path the sources resolve
 * from their own folder (the repository root, from tools/src/stack-config.ts) resolves the same
 * from it; its name starts with TEST_EVALUATOR_PREFIX, so a copy of the tree can leave it out.
 */
module.exports.withOutsideEvaluator = (entries) => async () => {
  // One run per process: a second project's setup would take over the first one's variables.
  if (process.env.AWS_DR_RUN_CACHE)
    throw new Error("a run cache is already set up in this process");
  process.env.AWS_DR_RUN_CACHE = fs.mkdtempSync(
    path.join(os.tmpdir(), "aws-dr-run-cache-"),
  );
  const { build } = require("esbuild");
  const { bundleOptions, closureDeferredEntry, REPO_ROOT } =
    await import("../offline-plan/bundle-options.mjs");
  const outfile = path.join(
    REPO_ROOT,
    "dist",
    `${TEST_EVALUATOR_PREFIX}${path.basename(process.env.AWS_DR_RUN_CACHE)}.js`,
  );
  await build({
    ...bundleOptions,
    sourcemap: false,
    stdin: closureDeferredEntry(entries),
    outfile,
  });
  process.env[EVALUATOR] = outfile;
};
