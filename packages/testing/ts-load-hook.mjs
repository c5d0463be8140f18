// Node's module loader hook for the test runs (jest-setup.js registers it): a TypeScript file
// that jest-light-runner imports (a test file) loads through Node's require, where jest-setup.js
// compiles it, as every TypeScript file it requires.
export async function load(url, context, nextLoad) {
  if (new URL(url).pathname.endsWith(".ts"))
    return { format: "commonjs", shortCircuit: true };
  return nextLoad(url, context);
}
