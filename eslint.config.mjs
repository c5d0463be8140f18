import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import { parse as parseTypeScript } from "@typescript-eslint/typescript-estree";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import tseslint from "typescript-eslint";

const root = path.dirname(fileURLToPath(import.meta.url));
const TS_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"];

// import-x/no-cycle skips type-only edges (`import type`, `import { type A }` with only type
// specifiers, `export type ... from`) both in the file it lints and in every file it walks, and it
// has no option to count them. A cycle through types still ties the modules together (neither can
// be moved, split or built without the other), so here the rule sees every import as a value one:
// - in the file being linted, each listener gets a copy of the import/export node with the
//   type-only markers cleared;
// - the files it walks are parsed by `valueImportsParser` (typescript-eslint's own parser,
//   typescript-estree, without the scope analysis, comments and tokens the rules need and import-x
//   does not: a sixth of the lint's time), then the same markers cleared, and
//   `import x = require("./y")` turned into the equivalent import, an edge import-x's graph would
//   otherwise drop. That AST is import-x's own, no other rule sees it.
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

function importEqualsAsImport(node) {
  if (
    node.type !== "TSImportEqualsDeclaration" ||
    node.moduleReference.type !== "TSExternalModuleReference"
  ) {
    return node;
  }
  return {
    type: "ImportDeclaration",
    importKind: "value",
    source: node.moduleReference.expression,
    specifiers: [
      {
        type: "ImportNamespaceSpecifier",
        local: node.id,
        range: node.range,
        loc: node.loc,
      },
    ],
    attributes: [],
    range: node.range,
    loc: node.loc,
  };
}

const valueImportsParser = {
  // A name of its own: import-x keys its module cache by parser.
  meta: { name: "aws-dr/value-imports-parser", version: "1.0.0" },
  parseForESLint(code, options) {
    const ast = parseTypeScript(code, {
      ...options,
      comment: false,
      tokens: false,
      jsDocParsingMode: "none",
    });
    ast.body = ast.body.map((n) => clearTypeOnly(importEqualsAsImport(n)));
    return { ast, visitorKeys };
  },
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
        {
          paths: [
            {
              name: "@pulumi/aws",
              message:
                'Import the service ("@pulumi/aws/s3", "@pulumi/aws/provider", "@pulumi/aws/types/enums" for Region): the type check maps the root to tools/typings/pulumi-aws.d.ts, which has only what @pulumi/awsx uses.',
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
