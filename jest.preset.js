// Shared jest settings: swc strips types (tsc type-checks separately, see the `typecheck` target)
// and the @aws-dr/* aliases resolve to sources, as in tsconfig.base.json.
//
// Jest is pinned at 29.7: jest-circus 30 runs every test inside an AsyncLocalStorage, which before
// Node 24 turns on promise hooks for the whole worker (revisit on Node 24), and a Pulumi program makes several promises
// per input; the stack tests took a third more CPU on jest 30.
const path = require("path");
const root = __dirname;

// Jest's workers inherit this environment. A Pulumi program run allocates heavily (a promise, an
// Output and an Error per input); with V8's default young generation (16 MB semi-spaces) a third
// of a run went to garbage collection. 64 MB semi-spaces took a third off each run's time.
const SEMI_SPACE = "--max-semi-space-size=64";
if (!(process.env.NODE_OPTIONS ?? "").includes("--max-semi-space-size"))
  process.env.NODE_OPTIONS =
    `${process.env.NODE_OPTIONS ?? ""} ${SEMI_SPACE}`.trim();

module.exports = {
  testEnvironment: "node",
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
      },
    ],
  },
  moduleNameMapper: {
    "^@aws-dr/(contracts|model|aws-kit|offline-plan|storage|compute|dns|replication|testing)$":
      path.join(root, "packages/$1/src/index.ts"),
    "^@aws-dr/stacks$": path.join(root, "stacks/index.ts"),
    "^@aws-dr/stacks/settings$": path.join(root, "stacks/settings.ts"),
    "^@aws-dr/stacks/profiles$": path.join(root, "stacks/profiles.ts"),
    "^@aws-dr/policy$": path.join(root, "policy/src/policies.ts"),
  },
  testMatch: ["**/*.test.ts"],
  // The SDK's closure serializer loads TypeScript and npm's Arborist on first use, not in every
  // test file (packages/offline-plan/src/closure-modules.ts).
  setupFiles: [path.join(root, "packages/offline-plan/jest-setup.js")],
  // A test or hook runs whole Pulumi programs (each ~0.5 s alone); on a loaded machine, with the
  // other projects' tests beside it, jest's default 5 s is a matter of luck, not of the code.
  testTimeout: 30_000,
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
};
