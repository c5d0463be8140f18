// How this repository bundles TypeScript for Node with esbuild: tools/build.mjs's bundles (the
// program, the pack, the offline tools). @pulumi/* and other npm packages stay external: Pulumi's
// runtime must be one shared instance, loaded from node_modules. Workspace packages (@aws-dr/*) are
// bundled in from their sources (tsconfig.base.json's paths): the CLI resolves no path alias.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
);

export const bundleOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  logLevel: "warning",
  tsconfig: path.join(REPO_ROOT, "tsconfig.base.json"),
  // Bare imports that are not @aws-dr/* path aliases are npm packages: keep them external.
  plugins: [
    {
      name: "externals",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@aws-dr/")
            ? undefined
            : { path: args.path, external: true },
        );
      },
    },
  ],
};

/**
 * esbuild's `stdin` for a bundle of `source` (relative to the root) that defers the SDK's
 * closure-serializer modules before anything loads the SDK (src/closure-modules.ts: about half a
 * plan's start-up) and exports what `source` exports.
 */
export const closureDeferredEntry = (source) => ({
  resolveDir: REPO_ROOT,
  sourcefile: `${source} (closure modules deferred)`,
  loader: "ts",
  contents: [
    'import { deferClosureModules } from "./packages/offline-plan/src/closure-modules";',
    "deferClosureModules();",
    `module.exports = require(${JSON.stringify(`./${source}`)});`,
  ].join("\n"),
});
