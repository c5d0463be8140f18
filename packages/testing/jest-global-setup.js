// Jest global setup: a fresh, empty cache directory for this test run's evaluations
// (src/run-cache.ts) and, for a project that names its evaluator's entries, that evaluator built
// from the sources as they are now (src/outside-evaluator.ts). Workers inherit both variables;
// jest-global-teardown.js removes both, so no run ever reads another run's results or code.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { EVALUATOR } = require("./jest-environment.js");

const makeRunCache = () => {
  process.env.AWS_DR_RUN_CACHE = fs.mkdtempSync(
    path.join(os.tmpdir(), "aws-dr-run-cache-"),
  );
};

module.exports = async () => makeRunCache();

/**
 * The global setup of a project whose misses are evaluated outside the test files: `entries` (a
 * path from the repository root) exports `evaluate`, an outsideEvaluator of its entries. The bundle
 * goes in dist/, beside the tools' bundles, so a path the sources resolve from their own folder
 * (the repository root, from tools/src/stack-config.ts) resolves the same from it.
 */
module.exports.withOutsideEvaluator = (entries) => async () => {
  makeRunCache();
  const { build } = require("esbuild");
  const { bundleOptions, closureDeferredEntry, REPO_ROOT } =
    await import("../offline-plan/bundle-options.mjs");
  const outfile = path.join(
    REPO_ROOT,
    "dist",
    `test-evaluator-${path.basename(process.env.AWS_DR_RUN_CACHE)}.js`,
  );
  await build({
    ...bundleOptions,
    sourcemap: false,
    stdin: closureDeferredEntry(entries),
    outfile,
  });
  process.env[EVALUATOR] = outfile;
};
