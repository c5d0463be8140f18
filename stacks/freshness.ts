import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** The source folders the bundle is built from. */
const SOURCES = ["stacks", "packages", "policy"];

function newestSource(root: string): { file: string; mtimeMs: number } {
  let newest = { file: "", mtimeMs: 0 };
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) {
        const { mtimeMs } = fs.statSync(full);
        if (mtimeMs > newest.mtimeMs) newest = { file: full, mtimeMs };
      }
    }
  };
  for (const dir of SOURCES) {
    const full = path.join(root, dir);
    if (fs.existsSync(full)) walk(full);
  }
  return newest;
}

/**
 * Refuses to run a bundle older than its sources: `pulumi up` right after a `git pull` without
 * `npm run build` would otherwise deploy yesterday's program, and in a DR change that is the wrong
 * failover. Only the bundle checks (dist/stacks/index.js); tests run the sources themselves.
 */
export function refuseStaleBundle(bundle: string = __filename): void {
  if (!bundle.endsWith(path.join("dist", "stacks", "index.js"))) return;
  const root = path.resolve(path.dirname(bundle), "..", "..");
  const newest = newestSource(root);
  if (newest.mtimeMs > fs.statSync(bundle).mtimeMs)
    throw new pulumi.RunError(
      `the program in dist/ is older than ${path.relative(root, newest.file)}: run \`npm run build\`, then \`pulumi up\` again (Pulumi runs the built bundle, not the sources)`,
    );
}
