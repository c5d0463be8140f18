// `npm run typecheck` reads tsconfig.json: tsconfig.base.json's path aliases, and @pulumi/aws's
// root mapped to tools/typings/pulumi-aws.d.ts, which exports only the services @pulumi/awsx's
// VPC typings name. With skipLibCheck, a service awsx's typings name and the stand-in lacks would
// not fail the check: awsx's types would quietly turn into `any`. This fails instead.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./stack-config";

const SHIM = "tools/typings/pulumi-aws.d.ts";

const compilerPaths = (file: string): Record<string, string[]> =>
  (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")) as {
      compilerOptions: { paths: Record<string, string[]> };
    }
  ).compilerOptions.paths;

/** The services the stand-in exports: `export * as <name> from "@pulumi/aws/<name>"`. */
function shimServices(): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, SHIM), "utf8");
  const exports = [...text.matchAll(/^export \* as (\w+) from "([^"]+)";$/gm)];
  for (const [line, name, from] of exports)
    expect([line, from]).toEqual([line, `@pulumi/aws/${name}`]);
  expect(text.match(/^export /gm)?.length).toBe(exports.length);
  return exports.map(([, name]) => name);
}

/**
 * Each `<alias>.<service>` the declaration files reachable from `entry` by relative imports name
 * on a namespace imported from "@pulumi/aws", with the file that names it.
 */
function awsServicesNamed(entry: string): Map<string, string> {
  const named = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // Declarations only: their doc comments show `import * as aws from "@pulumi/aws"` examples.
    const text = fs
      .readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const [, spec] of text.matchAll(/from "(\.[^"]+)"/g)) {
      const target = path.resolve(path.dirname(file), spec);
      visit(
        fs.existsSync(`${target}.d.ts`)
          ? `${target}.d.ts`
          : path.join(target, "index.d.ts"),
      );
    }
    for (const [, alias] of text.matchAll(
      /import \* as (\w+) from "@pulumi\/aws";/g,
    ))
      for (const [, service] of text.matchAll(
        new RegExp(`\\b${alias}\\.(\\w+)`, "g"),
      ))
        if (!named.has(service))
          named.set(service, path.relative(REPO_ROOT, file));
  };
  visit(entry);
  return named;
}

describe("the type check's configuration", () => {
  it("has tsconfig.base.json's path aliases, and @pulumi/aws's root mapped to the stand-in", () => {
    expect(compilerPaths("tsconfig.json")).toEqual({
      ...compilerPaths("tsconfig.base.json"),
      "@pulumi/aws": [SHIM],
    });
  });

  it("exports every @pulumi/aws service the awsx typings we import name", () => {
    // What our code imports of awsx (packages/compute/src/network.ts).
    const entry = require.resolve("@pulumi/awsx/ec2/index.d.ts", {
      paths: [path.join(REPO_ROOT, "packages", "compute")],
    });
    const named = awsServicesNamed(entry);
    // The walk reached the typings that name them (not a vacuous pass).
    expect([...named.keys()]).toEqual(expect.arrayContaining(["ec2", "types"]));
    const exported = shimServices();
    for (const [service, file] of named)
      expect([service, file, exported.includes(service)]).toEqual([
        service,
        file,
        true,
      ]);
  });
});
