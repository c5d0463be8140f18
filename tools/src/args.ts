// The command-line conventions every offline tool shares: `-h`/`--help` prints the usage on stdout
// and exits 0, `-s` is `--stack` (as for Pulumi and the Nx targets), `--out FILE` writes what stdout
// would print to FILE, and a bad command line exits 2 with one plain sentence and the usage.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./stack-config";

/** What a command returns and its entry point prints: stdout, stderr and the exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** `--stack <env>`, `-s <env>`: the stack a command evaluates. */
export const STACK_OPTION = {
  stack: { type: "string", short: "s" },
} as const satisfies Options;

/** `--out FILE`: what the command prints on stdout (its JSON), written to FILE instead. */
export const OUT_OPTION = {
  out: { type: "string" },
} as const satisfies Options;

/** The usage lines of the shared flags, for a command's own usage text. */
export const HELP_LINE =
  "  -h, --help           print this usage and exit (nothing is evaluated)";
export const OUT_LINE =
  "  --out <file>         write the output (exactly what stdout would print) to <file>; stdout then says where";

export interface CommandSpec<O extends Options> {
  /** The usage printed by --help and after every command-line error. */
  usage: string;
  /** The command's options; `-h`/`--help` is added. */
  options: O;
  /** Whether bare arguments are allowed (the command checks them); else each is refused. */
  positionals?: boolean;
}

export type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

const HELP = new Set(["-h", "--help"]);

/**
 * The command line's values and positionals, or "help" when `-h` or `--help` is anywhere before a
 * `--`. Throws a UsageError (the problem, then the usage) for an unknown option, an option without
 * its value, a value given to a flag, or a bare argument the command takes none of.
 */
export function parseCommandLine<O extends Options>(
  argv: string[],
  spec: CommandSpec<O>,
): Parsed<O> | "help" {
  const end = argv.indexOf("--");
  if ((end < 0 ? argv : argv.slice(0, end)).some((a) => HELP.has(a)))
    return "help";
  const refuse = (problem: string) =>
    new UsageError(`${problem}\n${spec.usage}`);
  const { tokens } = parseArgs({
    args: argv,
    options: spec.options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (!spec.positionals)
        throw refuse(`unexpected argument "${token.value}"`);
      continue;
    }
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(spec.options, token.name)
      ? spec.options[token.name]
      : undefined;
    if (!option) throw refuse(`unknown option ${token.rawName}`);
    if (option.type === "boolean" && token.inlineValue)
      throw refuse(`${token.rawName} takes no value`);
    // A value that looks like an option is one: `--stack --json` lacks the stack's name.
    if (
      option.type === "string" &&
      (token.value === undefined ||
        (!token.inlineValue && token.value.startsWith("-")))
    )
      throw refuse(`${token.rawName} needs a value`);
  }
  try {
    return parseArgs({
      args: argv,
      options: spec.options,
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw refuse((err as Error).message);
  }
}

/**
 * A command run by its conventions: `--help` prints the usage (exit 0) without running it, a bad
 * command line exits 2 with the problem and the usage on stderr, and with `--out FILE` what the
 * command would print on stdout is written to FILE (stdout then says where; nothing is written when
 * the command refuses its input, exit 2, and prints nothing).
 */
export async function runCommand<O extends Options>(
  argv: string[],
  spec: CommandSpec<O>,
  run: (parsed: Parsed<O>) => Promise<CliResult>,
): Promise<CliResult> {
  const parsed = parseOrRefuse(argv, spec);
  if (!("values" in parsed)) return parsed;
  const result = await run(parsed);
  const out = (parsed.values as { out?: unknown }).out;
  if (typeof out !== "string" || result.code === 2 || result.stdout === "")
    return result;
  const file = path.resolve(out);
  try {
    fs.writeFileSync(file, `${result.stdout}\n`);
  } catch (err) {
    return {
      code: 2,
      stdout: "",
      stderr: `--out ${out}: ${(err as Error).message}`,
    };
  }
  return { ...result, stdout: `wrote ${file}` };
}

/** The parsed command line, or the result to exit with: the usage for --help, exit 2 when bad. */
function parseOrRefuse<O extends Options>(
  argv: string[],
  spec: CommandSpec<O>,
): Parsed<O> | CliResult {
  try {
    const parsed = parseCommandLine(argv, spec);
    return parsed === "help"
      ? { code: 0, stdout: spec.usage, stderr: "" }
      : parsed;
  } catch (err) {
    if (err instanceof UsageError)
      return { code: 2, stdout: "", stderr: err.message };
    throw err;
  }
}

/**
 * For a command whose work is not a CliResult (it writes its files itself): the result to print
 * and exit with when the command line asks for help or is bad, undefined when the command runs.
 */
export function commandLineOnly<O extends Options>(
  argv: string[],
  spec: CommandSpec<O>,
): CliResult | undefined {
  const parsed = parseOrRefuse(argv, spec);
  return "values" in parsed ? undefined : parsed;
}

/** An entry point's ending: stdout and stderr as printed lines, and the exit code. */
export function exitWith({ code, stdout, stderr }: CliResult): void {
  if (stdout) process.stdout.write(`${stdout}\n`);
  if (stderr) process.stderr.write(`${stderr}\n`);
  process.exitCode = code;
}
