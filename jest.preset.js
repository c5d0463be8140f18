// Shared jest settings. Test files run in plain Node, not in jest's per-file module registry
// (jest-light-runner): a file's imports stay loaded for the next file of the same worker, so the
// SDK, @pulumi/aws and the program load and warm up once per worker instead of once per file.
// Under jest's own runtime every file spent 0.3-1 s of CPU loading them, and a program evaluated
// in a test file ran at half the speed of plain Node (cold code, and globals reached through a vm
// context). What jest's transform and module map did, packages/testing/jest-setup.js does for
// Node's require: swc strips types (tsc type-checks separately, see the `typecheck` target) and
// the @aws-dr/* names resolve to sources, as in tsconfig.base.json.
//
// What a file leaves behind is seen by the next one: the SDK's runtime state is reset by each
// offline run (@aws-dr/offline-plan's runProgram, which also runs one program at a time and gives
// up one that never ends), the run cache's memo is per worker (run-cache.ts), and a test that
// changes process.env or a global restores it. jest.mock and jest.isolateModules do not exist
// here; jest.fn and jest.spyOn do. packages/testing/jest-setup.js adds what the runner leaves out
// of jest's semantics: test and hook timeouts, and tests failing with their setup hooks.
//
// Jest is pinned at 29.7: jest-circus 30 runs every test inside an AsyncLocalStorage, which before
// Node 24 turns on promise hooks for the whole process (revisit on Node 24). The light runner
// takes only describe/it bookkeeping from its jest-circus and runs the tests itself.
const path = require("path");

module.exports = {
  runner: "jest-light-runner",
  setupFiles: [path.join(__dirname, "packages/testing/jest-setup.js")],
  // A folder per test run: the shared evaluations and every temporary file, removed at the end.
  globalSetup: path.join(__dirname, "packages/testing/jest-global-setup.js"),
  globalTeardown: path.join(
    __dirname,
    "packages/testing/jest-global-teardown.js",
  ),
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
};
