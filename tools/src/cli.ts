import * as path from "node:path";
import { parseArgs as parseNodeArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { diffPlans } from "./diff";
import { evaluate } from "./evaluate";
import { ProgramError, type Program } from "@aws-dr/testing";
import { renderDiff, renderTree } from "./render";
import { REPO_ROOT, UsageError } from "./stack-config";

export const USAGE = `usage: npm run plan -- --stack <env> [--config key=value ...] [--json] [--diff key=value ...]
  --stack    stack name: evaluates stacks/Pulumi.<env>.yaml under Pulumi's mock runtime (no AWS, no CLI)
  --config   override a config value (JSON when it parses, else a string), e.g. dr:tier=pilot-light
  --json     print one JSON document instead of the resource tree
  --diff     compare the stack as configured with the same stack after these overrides`;

export interface CliArgs {
  stack: string;
  config: string[];
  diff: string[];
  json: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stack: { type: "string" },
        config: { type: "string", multiple: true, default: [] },
        json: { type: "boolean", default: false },
        diff: { type: "boolean", default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (!values.stack) throw new UsageError(`--stack is required\n${USAGE}`);
  if (values.diff && positionals.length === 0)
    throw new UsageError(
      `--diff needs at least one key=value override\n${USAGE}`,
    );
  if (!values.diff && positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  return {
    stack: values.stack,
    config: values.config,
    diff: positionals,
    json: values.json,
  };
}

/** The program exactly as `pulumi up` runs it: the bundle Pulumi.yaml points at. */
export function loadBuiltProgram(): Program {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is found at run time
  return require(path.join(REPO_ROOT, "dist", "stacks", "index.js")) as Program;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the plan command; never throws for bad input, returns exit code 2 with a message instead. */
export async function runCli(
  argv: string[],
  program: Program,
): Promise<CliResult> {
  try {
    const args = parseArgs(argv);
    const before = await evaluate(program, args.stack, args.config);
    if (args.diff.length === 0) {
      return {
        code: 0,
        stdout: args.json
          ? JSON.stringify(before, null, 2)
          : renderTree(before),
        stderr: "",
      };
    }
    const after = await evaluate(program, args.stack, [
      ...args.config,
      ...args.diff,
    ]);
    const diff = diffPlans(before, after);
    const stdout = args.json
      ? JSON.stringify(
          { stack: args.stack, overrides: args.diff, ...diff },
          null,
          2,
        )
      : renderDiff(diff);
    return { code: 0, stdout, stderr: "" };
  } catch (thrown) {
    const err = thrown instanceof ProgramError ? thrown.cause : thrown;
    if (err instanceof UsageError || err instanceof pulumi.RunError)
      return { code: 2, stdout: "", stderr: err.message };
    throw err;
  }
}
