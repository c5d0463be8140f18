// The repo's ESLint config fails on any import cycle, type-only imports included (import-x/no-cycle,
// made to count `import type` in eslint.config.mjs). Throwaway files that import each other, one of
// them with `import type`, must each get the error; imports with no way back must not.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ESLint } from "eslint";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

const FILES: Record<string, string> = {
  // a -> b is type-only, b -> a names a type inline: the stock rule sees no cycle here.
  "a.ts":
    'import type { B } from "./b";\n\nexport interface A {\n  b?: B;\n}\n',
  "b.ts":
    'import { type A } from "./a";\nimport { helper } from "./c";\n\nexport interface B {\n  a?: A;\n}\nexport const b = helper;\n',
  "c.ts": "export const helper = 1;\n",
  // `export type ... from` one way, `import type` back.
  "h.ts": 'export type { I } from "./i";\nexport type H = string;\n',
  "i.ts": 'import type { H } from "./h";\nexport type I = H[];\n',
  // `import x = require()` (how the repo imports the Pulumi program) one way.
  "f.ts": 'import g = require("./g");\n\nexport const f = g.x;\n',
  "g.ts":
    'import { f } from "./f";\n\nexport const x = 1;\nexport const y = f;\n',
  // `export * as ns from` one way (TypeScript's import scan skips that form).
  "j.ts": 'export * as k from "./k";\n',
  "k.ts":
    'import * as j from "./j";\n\nexport const k = 1;\nexport const jk = j;\n',
  // Two workspace packages importing each other by their @aws-dr/* names (linked from
  // node_modules, as npm workspaces do).
  "one/package.json": '{ "name": "@aws-dr/cycle-one", "main": "index.ts" }\n',
  "one/index.ts":
    'import type { Two } from "@aws-dr/cycle-two";\n\nexport interface One {\n  two?: Two;\n}\n',
  "two/package.json": '{ "name": "@aws-dr/cycle-two", "main": "index.ts" }\n',
  "two/index.ts":
    'import { type One } from "@aws-dr/cycle-one";\n\nexport interface Two {\n  one?: One;\n}\n',
  // A type-only import with no way back.
  "d.ts": 'import type { E } from "./e";\n\nexport type D = E[];\n',
  "e.ts": "export type E = string;\n",
};
const LINKS = { "cycle-one": "one", "cycle-two": "two" };

// file (relative to the temp folder) -> lines with a no-cycle error
let cycles: Record<string, number[]>;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-cycle-"));
  try {
    for (const [name, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const scope = path.join(dir, "node_modules", "@aws-dr");
    fs.mkdirSync(scope, { recursive: true });
    for (const [name, target] of Object.entries(LINKS)) {
      fs.symlinkSync(path.join("..", "..", target), path.join(scope, name));
    }
    const tsFiles = Object.keys(FILES).filter((f) => f.endsWith(".ts"));
    // The repo's config, with the temp folder as its base path, so that it applies out there.
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: path.join(REPO_ROOT, "eslint.config.mjs"),
    });
    const results = (
      await eslint.lintFiles(tsFiles.map((f) => path.join(dir, f)))
    ).map((r) => ({
      file: r.filePath,
      cycles: r.messages
        .filter((m) => m.ruleId === "import-x/no-cycle")
        .map((m) => m.line),
      fatal: r.messages.filter((m) => m.fatal).map((m) => m.message),
    }));
    expect(results.flatMap((r) => r.fatal)).toEqual([]);
    cycles = Object.fromEntries(
      results.map((r) => [
        path.relative(dir, r.file).split(path.sep).join("/"),
        r.cycles,
      ]),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

test("a cycle through `import type` is an error in both files", () => {
  expect(cycles["a.ts"]).toEqual([1]);
  expect(cycles["b.ts"]).toEqual([1]);
});

test("type-only re-exports and `import = require()` count too", () => {
  expect(cycles["h.ts"]).toEqual([1]);
  expect(cycles["i.ts"]).toEqual([1]);
  expect(cycles["f.ts"]).toEqual([1]);
  expect(cycles["g.ts"]).toEqual([1]);
});

test("`export * as ns from` counts", () => {
  expect(cycles["j.ts"]).toEqual([1]);
  expect(cycles["k.ts"]).toEqual([1]);
});

test("a cycle between two @aws-dr/* packages is an error", () => {
  expect(cycles["one/index.ts"]).toEqual([1]);
  expect(cycles["two/index.ts"]).toEqual([1]);
});

test("imports with no way back are fine", () => {
  expect(cycles["c.ts"]).toEqual([]);
  expect(cycles["d.ts"]).toEqual([]);
  expect(cycles["e.ts"]).toEqual([]);
});
