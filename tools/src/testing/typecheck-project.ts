// The TypeScript project `npm run typecheck` checks, read as tsc reads it: the tests that ask
// which files tsc checks (nx-inputs) and how it resolves modules (typecheck-config).
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { REPO_ROOT } from "../stack-config";

/** The tsconfig file the root package.json's typecheck script passes to tsc (-p), or tsc's default. */
export function typecheckConfigFile(): string {
  const { scripts } = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"),
  ) as { scripts: Record<string, string> };
  const args = scripts.typecheck.trim().split(/\s+/);
  const p = args.findIndex((x) => x === "-p" || x === "--project");
  return path.resolve(REPO_ROOT, p < 0 ? "tsconfig.json" : args[p + 1]);
}

/** That project's root files and compiler options; a config tsc cannot read throws. */
export function typecheckProject(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    typecheckConfigFile(),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error("the typecheck script's project did not parse");
  return parsed;
}
