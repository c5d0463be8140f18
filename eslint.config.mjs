import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import tseslint from "typescript-eslint";

// Required, not imported: an ESM import of a CommonJS module makes Node scan its source for named
// exports, and TypeScript's is 9 MB (the loaded module is the one typescript-eslint requires).
const ts = createRequire(import.meta.url)("typescript");

const root = path.dirname(fileURLToPath(import.meta.url));
const TS_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"];

// import-x/no-cycle skips type-only edges (`import type`, `import { type A }` with only type
// specifiers, `export type ... from`) both in the file it lints and in every file it walks, and it
// has no option to count them. A cycle through types still ties the modules together (neither can
// be moved, split or built without the other), so here the rule sees every import as a value one:
// - in the file being linted, each listener gets a copy of the import/export node with the
//   type-only markers cleared;
// - the files it walks are read by `valueImportsParser`: not parsed, only scanned for the modules
//   they name (TypeScript's preProcessFile, a tenth of a parse's time; a full parse of each walked
//   file was a ninth of the lint's), each one an import with no type-only marker, including
//   `import x = require("./y")`, an edge import-x's graph of parsed files would drop. That AST is
//   import-x's own, no other rule sees it.
// The linted file's AST (shared with every other rule) is never changed.
function clearTypeOnly(node) {
  switch (node.type) {
    case "ImportDeclaration":
      return {
        ...node,
        importKind: "value",
        specifiers: node.specifiers.map((s) =>
          s.type === "ImportSpecifier" ? { ...s, importKind: "value" } : s,
        ),
      };
    case "ExportNamedDeclaration":
      return {
        ...node,
        exportKind: "value",
        specifiers: node.specifiers.map((s) => ({ ...s, exportKind: "value" })),
      };
    case "ExportAllDeclaration":
      return { ...node, exportKind: "value" };
    case "TSImportEqualsDeclaration":
      return { ...node, importKind: "value" };
    default:
      return node;
  }
}

/** 1-based line and 0-based column of each offset, as ESTree's `loc` has them. */
function positions(code) {
  const starts = [0];
  for (let i = code.indexOf("\n"); i >= 0; i = code.indexOf("\n", i + 1))
    starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] };
  };
}

const EXPORT_STAR_AS =
  /\bexport\s+(?:type\s+)?\*\s+as\s+[\w$]+\s+from\s*(["'])([^"'\n]+)\1/g;

const valueImportsParser = {
  // A name of its own: import-x keys its module cache by parser.
  meta: { name: "aws-dr/value-imports-parser", version: "1.0.0" },
  parseForESLint(code) {
    // Every module the file names, as TypeScript's pre-processing scan finds them: imports and
    // `export ... from` (type-only ones too), `import x = require()`, `require()` and `import()`
    // calls, `import("...")` types. Each becomes a plain value import.
    const at = positions(code);
    const { importedFiles } = ts.preProcessFile(code, true, true);
    // The one form the scan skips (TypeScript 5.9): `export [type] * as ns from "./x"`. Matched
    // in the raw text, commented-out ones too: an edge too many errs loud, never silent.
    for (const m of code.matchAll(EXPORT_STAR_AS)) {
      const pos = m.index + m[0].length - m[2].length - 1;
      importedFiles.push({ fileName: m[2], pos, end: pos + m[2].length });
    }
    const body = importedFiles.map(({ fileName, pos, end }) => {
      const range = [pos, end];
      const loc = { start: at(pos), end: at(end) };
      return {
        type: "ImportDeclaration",
        importKind: "value",
        specifiers: [],
        attributes: [],
        source: {
          type: "Literal",
          value: fileName,
          raw: JSON.stringify(fileName),
          range,
          loc,
        },
        range,
        loc,
      };
    });
    const ast = {
      type: "Program",
      sourceType: "module",
      body,
      comments: [],
      tokens: [],
      range: [0, code.length],
      loc: { start: at(0), end: at(code.length) },
    };
    return { ast, visitorKeys };
  },
};

/** Our code imports @pulumi/aws's services, never its root (see the rule below). */
const AWS_ROOT_IMPORT = {
  name: "@pulumi/aws",
  message:
    'Import the service ("@pulumi/aws/s3", "@pulumi/aws/provider", "@pulumi/aws/types/enums" for Region): the type check maps the root to tools/typings/pulumi-aws.d.ts, which has only what @pulumi/awsx uses.',
};

const stockNoCycle = importX.rules["no-cycle"];
const noCycleCountingTypes = {
  ...stockNoCycle,
  meta: {
    ...stockNoCycle.meta,
    docs: {
      ...stockNoCycle.meta.docs,
      description: `${stockNoCycle.meta.docs.description} Type-only imports count (see eslint.config.mjs).`,
    },
  },
  create(context) {
    const walking = Object.create(context, {
      languageOptions: {
        value: { ...context.languageOptions, parser: valueImportsParser },
        enumerable: true,
      },
    });
    const listeners = stockNoCycle.create(walking);
    return Object.fromEntries(
      Object.entries(listeners).map(([selector, listener]) => [
        selector,
        (node, ...rest) => listener(clearTypeOnly(node), ...rest),
      ]),
    );
  },
};

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The workspace root, spelled out: typescript-eslint cannot tell it when a process loads more
    // than one config (the import-cycles test lints from a temp folder with this one).
    languageOptions: { parserOptions: { tsconfigRootDir: root } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_" },
      ],
      // `import x = require()` is how TypeScript imports an `export =` module (the Pulumi program).
      "@typescript-eslint/no-require-imports": [
        "error",
        { allowAsImport: true },
      ],
      // The services, not the root: the root loads all of @pulumi/aws's ~250 services, and the type
      // check gives it only what @pulumi/awsx's typings use (tools/typings/pulumi-aws.d.ts).
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { paths: [AWS_ROOT_IMPORT] },
      ],
    },
  },
  // The layers (docs/architecture.md): the DR model is pure, and the components take typed
  // arguments from the program, never the config schema. Each block restates the root import
  // rule: a later block's options replace an earlier one's.
  {
    files: ["packages/model/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [AWS_ROOT_IMPORT],
          patterns: [
            {
              group: [
                "@pulumi/aws",
                "@pulumi/aws/*",
                "@pulumi/awsx",
                "@pulumi/awsx/*",
              ],
              message:
                "The DR model (@aws-dr/model) declares no AWS resource: resources belong in @aws-dr/aws-kit, the components or the program.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/{aws-kit,storage,replication,dns,compute}/src/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [AWS_ROOT_IMPORT],
          patterns: [
            {
              group: ["@aws-dr/model", "@aws-dr/model/*"],
              message:
                "A component takes typed arguments from the program, not the config schema (@aws-dr/model): it depends on @aws-dr/aws-kit and @aws-dr/contracts only.",
            },
          ],
        },
      ],
    },
  },
  {
    // No import cycle anywhere in the workspace, type-only imports included. Nx's project graph
    // only sees cycles between projects; this sees them between files (tools/src/import-cycles.test.ts).
    files: TS_FILES,
    plugins: {
      "import-x": {
        ...importX,
        rules: { ...importX.rules, "no-cycle": noCycleCountingTypes },
      },
    },
    settings: {
      "import-x/extensions": [
        ".ts",
        ".tsx",
        ".mts",
        ".cts",
        ".js",
        ".cjs",
        ".mjs",
      ],
      // The workspace's own packages: without this, an @aws-dr/* import that leaves the importing
      // file's package counts as external, and ignoreExternal below would not follow it.
      "import-x/internal-regex": "^@aws-dr/",
      "import-x/external-module-folders": [
        "node_modules",
        "node_modules/@types",
      ],
      // Resolves the @aws-dr/* aliases of tsconfig.base.json (and relative imports) to source files.
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: path.join(root, "tsconfig.base.json"),
          alwaysTryTypes: true,
        }),
      ],
    },
    rules: {
      // ignoreExternal: never walk into node_modules (a cycle needs a way back, and packages
      // there do not import ours). Without it the rule parses @pulumi/aws's typings: ~6x the
      // whole lint's time.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
);
