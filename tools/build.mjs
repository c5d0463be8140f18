// Bundles the Pulumi program (dist/stacks/index.js, what Pulumi.yaml runs), the policy pack
// (policy/dist/index.js, what the CLI's policy runner loads through policy/package.json's main) and
// the offline tools into JavaScript. @pulumi/* and other npm packages stay external: Pulumi's
// runtime must be one shared instance, loaded from node_modules. Workspace packages (@aws-dr/*) are
// bundled in: the CLI resolves no path alias.
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";
import { npmExternals } from "./esbuild-externals.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Each bundle and the source it is built from. */
const BUNDLES = {
  "dist/stacks/index.js": "stacks/index.ts",
  "policy/dist/index.js": "policy/index.ts",
  "dist/plan.js": "tools/src/plan.ts",
  "dist/bench.js": "tools/src/bench.ts",
  "dist/policy.js": "tools/src/policy.ts",
  "dist/new-env.js": "tools/src/new-env.ts",
  "dist/assess.js": "tools/src/assess.ts",
  "dist/prices.js": "tools/src/prices.ts",
  "dist/diagrams.js": "tools/src/diagrams.ts",
  "dist/config-doc.js": "tools/src/config-doc.ts",
  "tools/state/dist/index.js": "tools/state/index.ts",
};
const outputs = Object.keys(BUNDLES).map((f) => path.join(root, f));

/** The newest modification time under the bundled sources (and this script and its plugin). */
function newestSource() {
  let newest = Math.max(
    fs.statSync(fileURLToPath(import.meta.url)).mtimeMs,
    fs.statSync(new URL("./esbuild-externals.mjs", import.meta.url)).mtimeMs,
  );
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of [
    "packages",
    "stacks",
    "tools/src",
    "tools/state",
    "policy",
  ])
    walk(path.join(root, dir));
  return newest;
}

// `npm run plan` rebuilds first; skipping an up-to-date bundle keeps the offline plan fast.
const upToDate =
  outputs.every((f) => fs.existsSync(f)) &&
  Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs)) > newestSource();
if (upToDate) process.exit(0);
const { build } = await import("esbuild");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  logLevel: "warning",
  tsconfig: path.join(root, "tsconfig.base.json"),
  plugins: [npmExternals],
};

/** The programs Pulumi runs (the stack, the state bootstrap) and the pack load as they are. */
const isOfflineTool = (outfile) =>
  outfile.startsWith("dist/") && !outfile.startsWith("dist/stacks/");

// An offline tool defers the SDK's closure-serializer modules before anything loads the SDK
// (packages/offline-plan/src/closure-modules.ts: about half a plan's start-up).
const deferredEntry = (source) => ({
  resolveDir: root,
  sourcefile: `${source} (closure modules deferred)`,
  loader: "ts",
  contents: [
    'import { deferClosureModules } from "./packages/offline-plan/src/closure-modules";',
    "deferClosureModules();",
    `require(${JSON.stringify(`./${source}`)});`,
  ].join("\n"),
});

await Promise.all(
  Object.entries(BUNDLES).map(([outfile, source]) =>
    build({
      ...common,
      ...(isOfflineTool(outfile)
        ? { stdin: deferredEntry(source) }
        : { entryPoints: [path.join(root, source)] }),
      outfile: path.join(root, outfile),
    }),
  ),
);
