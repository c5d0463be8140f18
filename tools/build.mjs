// Bundles the Pulumi program (dist/stacks/index.js, what Pulumi.yaml runs) and the offline tools
// into JavaScript. @pulumi/* and other npm packages stay external: Pulumi's runtime must be one
// shared instance, loaded from node_modules. Workspace packages (@aws-dr/*) are bundled in.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  logLevel: "warning",
  tsconfig: path.join(root, "tsconfig.base.json"),
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

await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(root, "stacks/index.ts")],
    outfile: path.join(root, "dist/stacks/index.js"),
  }),
  build({
    ...common,
    entryPoints: [path.join(root, "tools/src/plan.ts")],
    outfile: path.join(root, "dist/plan.js"),
  }),
  build({
    ...common,
    entryPoints: [path.join(root, "tools/src/bench.ts")],
    outfile: path.join(root, "dist/bench.js"),
  }),
]);
