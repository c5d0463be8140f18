// `npm run typecheck` reads tsconfig.json (the project its script names): tsconfig.base.json's
// path aliases, and @pulumi/aws's root mapped to tools/typings/pulumi-aws.d.ts, which exports only
// the services @pulumi/awsx's VPC typings name. With skipLibCheck, a service awsx's typings name and the stand-in lacks would
// not fail the check: awsx's types would quietly turn into `any`. This fails instead.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { REPO_ROOT } from "./stack-config";
import {
  typecheckConfigFile,
  typecheckProject,
} from "./testing/typecheck-project";

const SHIM = "tools/typings/pulumi-aws.d.ts";

const compilerPaths = (file: string): Record<string, string[]> =>
  (
    JSON.parse(fs.readFileSync(file, "utf8")) as {
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

/** The declaration file a module specifier resolves to from `file`, as tsc resolves it. */
function declarationOf(
  specifier: string,
  file: string,
  options: ts.CompilerOptions,
): string {
  const resolved = ts.resolveModuleName(specifier, file, options, ts.sys)
    .resolvedModule?.resolvedFileName;
  if (!resolved)
    throw new Error(`${specifier} (from ${file}) does not resolve`);
  return resolved;
}

const ROOT = String.raw`["']@pulumi/aws["']`;
/** The forms a typing names @pulumi/aws's root in; each yields the services it names. */
const ROOT_FORMS: [RegExp, (m: RegExpMatchArray, text: string) => string[]][] =
  [
    // import * as aws from "@pulumi/aws"; import aws = require("@pulumi/aws"): aws.<service>
    [
      new RegExp(
        String.raw`import\s+\*\s+as\s+(\w+)\s+from\s+${ROOT}|import\s+(\w+)\s*=\s*require\(\s*${ROOT}\s*\)`,
        "g",
      ),
      (m, text) =>
        [
          ...text.matchAll(
            new RegExp(String.raw`\b${m[1] ?? m[2]}\.(\w+)`, "g"),
          ),
        ].map(([, service]) => service),
    ],
    // import { s3, type ec2 as e } from "@pulumi/aws"
    [
      new RegExp(
        String.raw`import\s+(?:type\s+)?\{([^}]*)\}\s*from\s+${ROOT}`,
        "g",
      ),
      (m) =>
        m[1]
          .split(",")
          .map(
            (s) =>
              s
                .trim()
                .replace(/^type\s+/, "")
                .split(/\s+as\s+/)[0],
          )
          .filter(Boolean),
    ],
    // import("@pulumi/aws").s3.Bucket
    [
      new RegExp(String.raw`import\(\s*${ROOT}\s*\)\.(\w+)`, "g"),
      (m) => [m[1]],
    ],
  ];

/**
 * Each service of @pulumi/aws's root that the awsx typings our code imports name, with the file
 * that names it: from every @pulumi/awsx module the type-checked files import, through the awsx
 * typings they import. Any other mention of the root (an `export ... from` it, a form not above)
 * throws: the scan must understand every one.
 */
function awsServicesNamed(): Map<string, string> {
  const { options, fileNames } = typecheckProject();
  // The modules a file imports, as tsc reads them (and `export * as ns from`, which TypeScript
  // 5.9's pre-processing scan skips).
  const imported = (text: string) => [
    ...ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName),
    ...[
      ...text.matchAll(
        /\bexport\s+(?:type\s+)?\*\s+as\s+\w+\s+from\s*["']([^"']+)["']/g,
      ),
    ].map(([, specifier]) => specifier),
  ];
  const isAwsx = (specifier: string) => /^@pulumi\/awsx(\/|$)/.test(specifier);
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
    for (const specifier of imported(text))
      if (specifier.startsWith(".") || isAwsx(specifier))
        visit(declarationOf(specifier, file, options));
    const mentions = text.match(new RegExp(ROOT, "g"))?.length ?? 0;
    let understood = 0;
    for (const [form, services] of ROOT_FORMS)
      for (const m of text.matchAll(form)) {
        understood++;
        for (const service of services(m, text))
          if (!named.has(service))
            named.set(service, path.relative(REPO_ROOT, file));
      }
    if (mentions !== understood)
      throw new Error(
        `${path.relative(REPO_ROOT, file)} names @pulumi/aws's root in a form this scan does not read`,
      );
  };
  for (const file of fileNames)
    for (const specifier of imported(fs.readFileSync(file, "utf8")))
      if (isAwsx(specifier)) visit(declarationOf(specifier, file, options));
  return named;
}

describe("the type check's configuration", () => {
  it("has tsconfig.base.json's path aliases, and @pulumi/aws's root mapped to the stand-in", () => {
    expect(compilerPaths(typecheckConfigFile())).toEqual({
      ...compilerPaths(path.join(REPO_ROOT, "tsconfig.base.json")),
      "@pulumi/aws": [SHIM],
    });
  });

  it("exports every @pulumi/aws service the awsx typings we import name", () => {
    const named = awsServicesNamed();
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
