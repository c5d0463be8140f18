import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describeDeployed, readDeployed } from "@aws-dr/model";
import { dataLoss, diffPlans } from "./diff";
import { evaluate, type Plan } from "./evaluate";
import { ProgramError, type Program } from "@aws-dr/offline-plan";
import { matrixProblems, planStates, renderMatrix } from "./matrix";
import { renderMermaid } from "./mermaid";
import { renderDiff, renderMarkdown, renderTree } from "./render";
import {
  HELP_LINE,
  OUT_LINE,
  OUT_OPTION,
  parseCommandLine,
  runCommand,
  STACK_OPTION,
  type CliResult,
  type Parsed,
} from "./args";
import { REPO_ROOT, UsageError } from "./stack-config";

export type { CliResult } from "./args";

export const USAGE = `usage: npm run plan -- -s|--stack <env> [--config key=value ...] [--from <plan.json>] [--json | --mermaid | --matrix] [--diff key=value ... [--against <file>] [--markdown] [--fail-on-data-loss]] [--out <file>]
  -s, --stack <env>    stack name: evaluates stacks/Pulumi.<env>.yaml under Pulumi's mock runtime (no AWS, no CLI)
  --config             override a config value (JSON when it parses, else a string), e.g. dr:tier=pilot-light
  --from <file>        the deployed state: the outputs of an earlier plan --json; the move from it is checked
                       as a real run checks it (a refused move exits 2). Without --from, --diff or --against
                       no move is checked
  --json               print one JSON document instead of the resource tree
  --mermaid            print the stack as a Mermaid flowchart: regions, sites, data, replication, DNS
  --matrix             evaluate every tier x failover state the config admits and check every move between
                       them (data kept, primary site stable, failover leaves the primary region alone); exit 1 on a problem
  --diff               compare the stack as configured with the same stack after these overrides, checking the
                       move from the configured state (deployed) to the overridden one
  --against <file>     with --diff: compare with a plan --json made elsewhere (the base branch's program and
                       config) instead of this stack as configured, and check the move from its outputs;
                       the overrides may then be none
  --markdown           with --diff: the diff as a pull-request comment
  --fail-on-data-loss  with --diff: exit 1 when data would be deleted without a final snapshot or retention, or replaced
${OUT_LINE}
${HELP_LINE}`;

/** plan's command line: its options, the shared -s, --out and --help, the overrides of --diff. */
const PLAN_COMMAND = {
  usage: USAGE,
  positionals: true,
  options: {
    ...STACK_OPTION,
    config: { type: "string", multiple: true, default: [] as string[] },
    json: { type: "boolean", default: false },
    mermaid: { type: "boolean", default: false },
    matrix: { type: "boolean", default: false },
    diff: { type: "boolean", default: false },
    markdown: { type: "boolean", default: false },
    against: { type: "string" },
    from: { type: "string" },
    "fail-on-data-loss": { type: "boolean", default: false },
    ...OUT_OPTION,
  },
} as const;

export interface CliArgs {
  stack: string;
  config: string[];
  diff: string[];
  json: boolean;
  mermaid: boolean;
  matrix: boolean;
  markdown: boolean;
  failOnDataLoss: boolean;
  /** A `plan --json` file to compare with, e.g. made from the base branch. */
  against?: string;
  /** A `plan --json` file whose outputs are the deployed state the configured state moves from. */
  from?: string;
  /** Where the output goes instead of stdout (runCommand writes it). */
  out?: string;
}

/** plan's arguments; "help" for -h or --help. Throws a UsageError for a bad command line. */
export function parseArgs(argv: string[]): CliArgs | "help" {
  const parsed = parseCommandLine(argv, PLAN_COMMAND);
  return parsed === "help" ? parsed : planArgs(parsed);
}

/** The combinations plan refuses, on top of the command line's own checks (args.ts). */
function planArgs({
  values,
  positionals,
}: Parsed<typeof PLAN_COMMAND.options>): CliArgs {
  if (!values.stack) throw new UsageError(`--stack is required\n${USAGE}`);
  if (values.diff && positionals.length === 0 && !values.against)
    throw new UsageError(
      `--diff needs at least one key=value override\n${USAGE}`,
    );
  if (!values.diff && positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  if (!values.diff && (values.markdown || values["fail-on-data-loss"]))
    throw new UsageError(
      `--markdown and --fail-on-data-loss go with --diff\n${USAGE}`,
    );
  if (
    [values.mermaid, values.matrix, values.diff || values.json].filter(Boolean)
      .length > 1
  )
    throw new UsageError(
      `--mermaid and --matrix go alone, without --diff or --json\n${USAGE}`,
    );
  return {
    stack: values.stack,
    config: values.config,
    diff: positionals,
    json: values.json,
    mermaid: values.mermaid,
    matrix: values.matrix,
    markdown: values.markdown,
    failOnDataLoss: values["fail-on-data-loss"],
    against: values.against,
    from: values.from,
    out: values.out,
  };
}

/** A `plan --json` document from a file (another commit's program and config). */
function readPlan(file: string, flag: "--against" | "--from"): Plan {
  try {
    const plan = JSON.parse(fs.readFileSync(file, "utf8")) as Plan;
    if (typeof plan.outputs !== "object" || plan.outputs === null)
      throw new Error("not a plan --json document (no outputs)");
    return plan;
  } catch (err) {
    throw new UsageError(`${flag} ${file}: ${(err as Error).message}`);
  }
}

/** What `plan` says when no deployed state was given: the state is shown, no move checked. */
export const UNCHECKED_NOTE =
  "note: no deployed state given (--from <plan.json>, --diff or --against), so no move is checked: this is the configured state on its own";

/** A plan's warnings as the CLI prints them on stderr (a plan JSON from elsewhere may have none). */
const warningsOf = (plan: Plan) =>
  (plan.warnings ?? []).map((w) => `warning: ${w}`).join("\n");

/** The program exactly as `pulumi up` runs it: the bundle Pulumi.yaml points at. */
export function loadBuiltProgram(): Program {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is found at run time
  return require(path.join(REPO_ROOT, "dist", "stacks", "index.js")) as Program;
}

/**
 * Runs the plan command; never throws for bad input, returns exit code 2 with a message instead.
 * `--help` returns the usage, `--out FILE` writes the output to FILE (args.ts's runCommand).
 */
export function runCli(
  argv: string[],
  program: Program,
  /** How a state is evaluated: the tests share evaluations across files. */
  evaluator: typeof evaluate = evaluate,
): Promise<CliResult> {
  return runCommand(argv, PLAN_COMMAND, (parsed) =>
    plan(parsed, program, evaluator),
  );
}

async function plan(
  parsed: Parsed<typeof PLAN_COMMAND.options>,
  program: Program,
  evaluator: typeof evaluate,
): Promise<CliResult> {
  try {
    const args = planArgs(parsed);
    if (args.matrix) {
      const { plans, refused } = await planStates(
        program,
        args.stack,
        args.config,
        evaluator,
      );
      const problems = matrixProblems(plans);
      const failed = Object.values(problems).some((list) => list.length > 0);
      return {
        code: failed ? 1 : 0,
        stdout: renderMatrix(args.stack, plans, refused, problems),
        stderr: "",
      };
    }
    const deployed = args.from
      ? readPlan(args.from, "--from").outputs
      : undefined;
    const before = args.against
      ? readPlan(args.against, "--against")
      : await evaluator(program, args.stack, args.config, undefined, deployed);
    if (!args.against && args.diff.length === 0) {
      return {
        code: 0,
        stdout: args.json
          ? JSON.stringify(before, null, 2)
          : args.mermaid
            ? renderMermaid(before)
            : renderTree(before),
        stderr: [warningsOf(before), args.from ? "" : UNCHECKED_NOTE]
          .filter(Boolean)
          .join("\n"),
      };
    }
    // The move a `pulumi up` of the overridden config would make from the state before it.
    const after = await evaluator(
      program,
      args.stack,
      [...args.config, ...args.diff],
      undefined,
      before.outputs,
    );
    const diff = diffPlans(before, after);
    const stdout = args.json
      ? JSON.stringify(
          { stack: args.stack, overrides: args.diff, ...diff },
          null,
          2,
        )
      : args.markdown
        ? renderMarkdown(
            diff,
            args.stack,
            args.diff,
            args.against
              ? `the plan in \`${args.against}\``
              : `the stack file${args.config.length > 0 ? ` with ${args.config.map((c) => `\`${c}\``).join(", ")}` : ""}${
                  readDeployed(before.outputs).kind === "known"
                    ? ` (${describeDeployed(readDeployed(before.outputs))})`
                    : ""
                }`,
          )
        : renderDiff(diff);
    const losing = dataLoss(diff);
    return {
      code: args.failOnDataLoss && losing.length > 0 ? 1 : 0,
      stdout,
      stderr: [
        warningsOf(after),
        args.failOnDataLoss && losing.length > 0
          ? `data loss: ${losing.map((d) => `${d.urn.split("::").pop()} ${d.reason}`).join("; ")}`
          : "",
      ]
        .filter(Boolean)
        .join("\n"),
    };
  } catch (thrown) {
    const err = thrown instanceof ProgramError ? thrown.cause : thrown;
    if (err instanceof UsageError || err instanceof pulumi.RunError)
      return { code: 2, stdout: "", stderr: err.message };
    throw err;
  }
}
