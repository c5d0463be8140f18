// Every test runs in plain Node (jest-light-runner, jest.preset.js says why): before the first
// test file of each worker, Node's own require learns what jest's transform and module map did.
// - TypeScript: each .ts file is compiled by swc when first required (types are stripped, tsc
//   checks them in the typecheck target), with a source map for stack traces;
// - a test file, which the runner imports, goes to that require (ts-load-hook.mjs);
// - @aws-dr/* names resolve to the sources, as tsconfig.base.json's paths say;
// - the SDK's closure serializer gets its TypeScript and npm modules on first use, as the offline
//   tools do (@aws-dr/offline-plan's closure-modules.ts).
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { transformSync } = require("@swc/core");

const ROOT = path.resolve(__dirname, "..", "..");

const SWC_OPTIONS = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  module: { type: "commonjs" },
  sourceMaps: "inline",
};
Module._extensions[".ts"] = (module, filename) =>
  module._compile(
    transformSync(fs.readFileSync(filename, "utf8"), {
      ...SWC_OPTIONS,
      filename,
    }).code,
    filename,
  );
process.setSourceMapsEnabled(true);

Module.register("./ts-load-hook.mjs", pathToFileURL(__filename));

const { paths } = JSON.parse(
  fs.readFileSync(path.join(ROOT, "tsconfig.base.json"), "utf8"),
).compilerOptions;
const ALIASES = new Map(
  Object.entries(paths).map(([name, [file]]) => [name, path.join(ROOT, file)]),
);
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, ALIASES.get(request) ?? request, ...rest);
};

require("../offline-plan/src/closure-modules.ts").deferClosureModules();

// What the light runner leaves out of jest's test semantics, put back through its own jest-circus,
// where every it/test/hook (each, only and skip included) is added:
// - a timeout for each test and hook: the one it names or TEST_TIMEOUT_MS. A test that times out
//   fails; what it started runs on, as under jest.
// - a failed beforeAll fails every test of its describe block, and a failed beforeEach the test it
//   ran for, instead of their running without their setup.
// A test or hook runs whole Pulumi programs (each ~0.2 s warm); on a loaded machine, with the
// other projects' tests beside it, jest's default 5 s would be a matter of luck, not of the code.
const TEST_TIMEOUT_MS = 30_000;
const circus = require(
  require.resolve("jest-circus", {
    paths: [path.dirname(require.resolve("jest-light-runner"))],
  }),
);

/** `fn` failing after `ms`, as jest's timeout does. */
const timed = (fn, ms, what) =>
  function () {
    let timer;
    return Promise.race([
      Promise.resolve().then(() => fn.call(this)),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`Exceeded timeout of ${ms} ms for a ${what}.`)),
          ms,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  };

/** The failed setup hooks of a describe block and its ancestors, by the hooks' blocks. */
const failedSetup = new WeakMap();

function wrapHook(hook) {
  // A callback-style function (it takes `done`) is left to the runner as it is.
  if (hook.fn.length > 0) return;
  const run = timed(hook.fn, hook.timeout ?? TEST_TIMEOUT_MS, "hook");
  hook.fn = async function () {
    try {
      return await run.call(this);
    } catch (error) {
      if (hook.type === "beforeAll" || hook.type === "beforeEach")
        failedSetup.set(hook.parent, { type: hook.type, error });
      throw error;
    }
  };
}

function wrapTest(test) {
  if (test.fn.length > 0) return;
  const run = timed(test.fn, test.timeout ?? TEST_TIMEOUT_MS, "test");
  test.fn = function () {
    for (let block = test.parent; block; block = block.parent) {
      const failed = failedSetup.get(block);
      if (!failed) continue;
      // A beforeEach runs again for the next test.
      if (failed.type === "beforeEach") failedSetup.delete(block);
      throw new Error(
        `not run: its ${failed.type} hook failed (${failed.error?.message ?? failed.error})`,
      );
    }
    return run.call(this);
  };
}

circus.addEventHandler((event, state) => {
  const block = state.currentDescribeBlock;
  if (event.name === "add_test") wrapTest(block.children.at(-1));
  if (event.name === "add_hook") wrapHook(block.hooks.at(-1));
});
