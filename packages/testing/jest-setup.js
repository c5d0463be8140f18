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

// What the light runner leaves out of jest's test semantics (timeouts, failed setup hooks), put
// back through its own jest-circus, where every it/test/hook is added (src/test-semantics.ts).
const { wrapHook, wrapTest } = require("./src/test-semantics.ts");
const circus = require(
  require.resolve("jest-circus", {
    paths: [path.dirname(require.resolve("jest-light-runner"))],
  }),
);

circus.addEventHandler((event, state) => {
  const block = state.currentDescribeBlock;
  if (event.name === "add_test") wrapTest(block.children.at(-1));
  if (event.name === "add_hook") wrapHook(block.hooks.at(-1));
});
