// esbuild's resolution for our bundles (tools/build.mjs, tools/same-plans.mjs): bare imports that
// are not @aws-dr/* path aliases are npm packages, kept external (node_modules resolves them).
export const npmExternals = {
  name: "externals",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@aws-dr/")
        ? undefined
        : { path: args.path, external: true },
    );
  },
};
