// The docs' commands run. Every fenced shell block in README.md and docs/ is marked:
// ```sh offline (runs without an AWS account: run here) or ```sh account (needs AWS: not run).
// An offline block runs as printed: as a script, its lines in order in one shell, from the root of
// a scratch copy of the working tree (so what a command writes is left behind in no checkout),
// with a CI-safe environment; each command must exit 0, or N where its comment starts with
// `exit N`. Blocks with the same commands (comments aside) run once; blocks run in parallel, one
// scratch copy each (DOCS_TIMING=1 prints each block's time). A block of nothing but lines bash would run as
// `npm run [--silent] <tool> -- <flags>` of plan, assess or policy (plain words and '...' strings;
// `> file` after --silent alone: without it npm's banner would be in the file), `echo ... [> file]`
// and `rm file` runs in this process instead (over the tests' shared evaluations: a process per
// command is a second of start-up each): each tool's flags through its command line, its output
// (as its entry point prints it) to the block's output or file; files by bare name only, in a folder
// of the block's own, to which --from, --against and --out are pointed, --from and --against
// each read only after an earlier line of the block wrote it (a redirect or --out). The command of
// the Nx plan target (NX_PLAN) runs once as printed, through npm and the bundles (so this test
// runs neither assess's nor policy's npm script or bundle; plan's, made by the same build, it
// does). A block with any other line runs as printed. The few offline commands this
// test cannot run (an install, the whole test suite, a one-minute benchmark, ...) are named in
// COVERED with what covers them. Every relative link and anchor in these files must resolve.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import program = require("@aws-dr/stacks");
import { runAssess } from "./assess";
import type { CliResult } from "./cli";
import { runPolicyCli } from "./policy";
import { evaluate, evaluateStack, runCli } from "./testing/cached-evaluate";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Offline commands not run here, each with what covers it and what of it does run here. */
const COVERED: Record<string, { by: string; runs?: string }> = {
  "npm ci && npm run plan -- --stack dev": {
    by: "npm ci installs what package-lock.json pins, as .ci/run and every workflow do; a test cannot reinstall the workspace it runs in",
    runs: "npm run plan -- --stack dev",
  },
  "npm test": { by: "the suite this test is part of" },
  "npm run bench": {
    by: "it times 30 fresh `npm run plan` processes (about a minute); the plans it times run here",
  },
  "npx nx affected -t typecheck lint test": {
    by: "`npm test` over the projects a change touches; tools/src/nx-inputs.test.ts checks which tasks a change to each file runs",
  },
  "npx nx run @aws-dr/stacks:plan:prod": {
    by: "stacks/package.json's plan target runs `npm run --silent plan -- --json` with `--stack prod` (checked below); that command runs here, through npm, once",
  },
  "npm run diagrams": {
    by: "tools/src/mermaid.test.ts fails unless docs/environments.md holds exactly what it writes",
  },
  "npm run config-doc": {
    by: "tools/src/config-doc.test.ts fails unless docs/config.md holds exactly what it writes, and runs its command line in process (its bundle and the npm script's prettier check do not run here)",
  },
};

/** Files and folders of the working tree the scratch copies leave out (node_modules is linked). */
const NOT_COPIED = new Set(["node_modules", ".git", ".nx", "coverage"]);

export interface Command {
  /** As printed (continuation lines joined), comment included. */
  text: string;
  /** Without its trailing comment: what dedupes and what COVERED names. */
  command: string;
  line: number;
  expected: number;
}

export interface Fence {
  file: string;
  line: number;
  info: string[];
  body: string[];
}

/** The markdown files the docs consist of, repo-relative. */
export function docFiles(root = REPO_ROOT): string[] {
  const files = ["README.md"];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), {
      withFileTypes: true,
    })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".md")) files.push(rel);
    }
  };
  walk("docs");
  return files.sort();
}

/** Every fenced code block of a markdown text, with its info string and body (indent removed). */
export function fences(file: string, text: string): Fence[] {
  const result: Fence[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, marker, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (
        close &&
        close[1][0] === marker[0] &&
        close[1].length >= marker.length
      )
        break;
      body.push(
        lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j],
      );
    }
    result.push({
      file,
      line: i + 1,
      info: info.trim().split(/\s+/).filter(Boolean),
      body,
    });
    i = j;
  }
  return result;
}

/** A line's trailing shell comment removed (a `#` after whitespace, outside quotes). */
export function withoutComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1])))
      return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

/** The commands of a block: continuation lines joined, blank and comment-only lines skipped. */
export function commandsOf(fence: Fence): Command[] {
  const commands: Command[] = [];
  for (let i = 0; i < fence.body.length; i++) {
    const start = i;
    let text = fence.body[i];
    while (text.endsWith("\\") && i + 1 < fence.body.length)
      text = `${text.slice(0, -1)}${fence.body[++i]}`;
    if (text.trim() === "" || text.trim().startsWith("#")) continue;
    const command = withoutComment(text);
    const exit = /(?:^|\s)#\s*exit (\d+)\b/.exec(text.slice(command.length));
    commands.push({
      text,
      command,
      line: fence.line + 1 + start,
      expected: exit ? Number(exit[1]) : 0,
    });
  }
  return commands;
}

const isShell = (f: Fence) => /^(sh|bash|shell|console)$/.test(f.info[0] ?? "");

interface Unit {
  /** Where it comes from, for the test's name. */
  where: string;
  commands: Command[];
  /** Set where the block runs in this process: each command as a step. */
  inProcess?: Step[];
}

/** The tools a plain line may run in this process: each one's command line, as its CLI runs it. */
const TOOLS = {
  plan: (argv: string[]) => runCli(argv, program),
  assess: (argv: string[]) => runAssess(argv, program, { evaluator: evaluate }),
  policy: (argv: string[]) => runPolicyCli(argv, program, evaluateStack),
} satisfies Record<string, (argv: string[]) => Promise<CliResult>>;

type Tool = keyof typeof TOOLS;

interface ToolFlags {
  tool: Tool;
  argv: string[];
}

/** A line a block may run in this process: a tool's command line, an `echo` or an `rm`. */
export type Step =
  | (ToolFlags & { kind: "tool"; to?: string })
  | { kind: "echo"; text: string; to?: string }
  | { kind: "rm"; file: string };

/** A file a step writes, reads or removes: a bare name, in the block's own folder. */
const FILE = /^[\w][\w.-]*$/;

/**
 * A command's words as bash splits them, and the file a final `> file` sends its output to: plain
 * words and '...' strings (taken literally, as bash takes them) separated by spaces; undefined for
 * anything else (other quoting, expansions, globs, other operators or redirects).
 */
export function shellWords(
  command: string,
): { words: string[]; to?: string } | undefined {
  const words: string[] = [];
  const token = /\s*(?:'([^']*)'|([\w:=.,@/+-]+)|(>))(?=\s|$)/y;
  let to: string | undefined;
  let redirect = false;
  while (token.lastIndex < command.length) {
    const m = token.exec(command);
    if (!m)
      return /^\s*$/.test(command.slice(token.lastIndex))
        ? { words, to }
        : undefined;
    if (to !== undefined) return undefined;
    if (m[3]) {
      if (redirect || words.length === 0) return undefined;
      redirect = true;
    } else if (redirect) {
      if (m[2] === undefined || !FILE.test(m[2])) return undefined;
      to = m[2];
    } else words.push(m[1] ?? m[2]);
  }
  if (redirect && to === undefined) return undefined;
  return { words, to };
}

/**
 * A line's step where this process can run it as bash would: `npm run <tool> -- <flags>` of plan,
 * assess or policy (`npm run --silent` too; its output sent to a file only with --silent, since
 * npm's banner would otherwise be in the file, which only a run through npm shows),
 * `echo <words> [> file]` and `rm file`.
 */
export function stepOf(command: string): Step | undefined {
  const parsed = shellWords(command);
  if (!parsed) return undefined;
  const { words, to } = parsed;
  if (words[0] === "echo")
    return { kind: "echo", text: words.slice(1).join(" "), to };
  if (words[0] === "rm")
    return words.length === 2 && FILE.test(words[1]) && to === undefined
      ? { kind: "rm", file: words[1] }
      : undefined;
  if (words[0] !== "npm" || words[1] !== "run") return undefined;
  const silent = words[2] === "--silent";
  const [tool, dashes, ...argv] = words.slice(silent ? 3 : 2);
  if (!(tool in TOOLS) || dashes !== "--" || argv.length === 0)
    return undefined;
  if (to !== undefined && !silent) return undefined;
  return { kind: "tool", tool: tool as Tool, argv, to };
}

/** A plain `npm run <tool> -- <flags>` line's tool and flags (no quotes, redirects or other commands). */
export function toolFlags(command: string): ToolFlags | undefined {
  const step = stepOf(command);
  return step?.kind === "tool" &&
    step.to === undefined &&
    command.startsWith(`npm run ${step.tool} -- `) &&
    step.argv.every((a) => /^[\w:=.,@/+-]+$/.test(a))
    ? { tool: step.tool, argv: step.argv }
    : undefined;
}

/** A plain `npm run plan -- <flags>` line's flags. */
export function planFlags(command: string): string[] | undefined {
  const flags = toolFlags(command);
  return flags?.tool === "plan" ? flags.argv : undefined;
}

/**
 * The tools' flags that name a file: the deployed state (--from) and the plan compared with
 * (--against), which they read, and --out, which they write.
 */
const FILE_FLAGS = ["--from", "--against", "--out"];
const WRITES = new Set(["--out"]);

/**
 * The files a plan step's flags name, with where each one is in argv; undefined where one is not a
 * bare file name (a path elsewhere in the tree: the block then runs as printed).
 */
function fileArgs(
  step: Step,
):
  | { index: number; file: string; prefix: string; writes: boolean }[]
  | undefined {
  if (step.kind !== "tool") return [];
  const found: {
    index: number;
    file: string;
    prefix: string;
    writes: boolean;
  }[] = [];
  for (let i = 0; i < step.argv.length; i++) {
    const arg = step.argv[i];
    const flag = FILE_FLAGS.find((f) => arg === f || arg.startsWith(`${f}=`));
    if (!flag) continue;
    const [index, file, prefix] =
      arg === flag
        ? [i + 1, step.argv[i + 1], ""]
        : [i, arg.slice(flag.length + 1), `${flag}=`];
    if (file === undefined || !FILE.test(file)) return undefined;
    found.push({ index, file, prefix, writes: WRITES.has(flag) });
  }
  return found;
}

/**
 * The steps of a block this process can run: every line a step, and every file a step reads
 * (--from, --against) written by an earlier step of the block, so the block needs no file of the
 * tree, and at least one a tool's. Undefined for any other block.
 */
export function stepsOf(commands: Command[]): Step[] | undefined {
  const steps: Step[] = [];
  const written = new Set<string>();
  for (const c of commands) {
    const step = stepOf(c.command);
    const files = step && fileArgs(step);
    if (!step || !files || files.some((f) => !f.writes && !written.has(f.file)))
      return undefined;
    if (step.kind !== "rm" && step.to !== undefined) written.add(step.to);
    for (const f of files) if (f.writes) written.add(f.file);
    steps.push(step);
  }
  return steps.some((s) => s.kind === "tool") ? steps : undefined;
}

/**
 * The command of stacks/package.json's Nx plan target with its prod configuration's arguments, as
 * the docs print it: run once as printed, through npm and the bundle, as the target runs it (and
 * so the proof that npm's --silent keeps the plan alone on stdout).
 */
const NX_PLAN = "npm run --silent plan -- --stack prod --json";

function readDocs() {
  const all = docFiles().flatMap((file) =>
    fences(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8")),
  );
  const shell = all.filter(isShell);
  const offline = shell.filter((f) => f.info.includes("offline"));
  const units = new Map<string, Unit>();
  const add = (where: string, commands: Command[]) => {
    const key = commands.map((c) => c.command).join("\n");
    if (!units.has(key)) units.set(key, { where, commands });
  };
  for (const fence of offline) {
    const commands = commandsOf(fence).map((c) => {
      const covered = COVERED[c.command];
      return covered?.runs
        ? { ...c, command: covered.runs, text: covered.runs }
        : c;
    });
    const runnable = commands.filter(
      (c) => !(c.command in COVERED) || COVERED[c.command].runs,
    );
    if (runnable.length > 0) add(`${fence.file}:${fence.line}`, runnable);
  }
  for (const unit of units.values()) {
    const steps = stepsOf(unit.commands);
    if (steps) unit.inProcess = steps;
  }
  return { all, shell, offline, units: [...units.values()] };
}

const DOCS = readDocs();

/**
 * The environment of a CI runner without AWS credentials, npm's own variables dropped, and no
 * extra CA bundle (NODE_EXTRA_CA_CERTS: each Node process the blocks start, a dozen and more,
 * reads and parses the whole file at start-up, about 0.1 s of CPU each; an offline command opens
 * no TLS connection).
 */
function ciEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (
      !/^(npm_|AWS_|PULUMI_|NX_|JEST_|INIT_CWD$|BASH_ENV$|NODE_EXTRA_CA_CERTS$)/.test(
        key,
      )
    )
      env[key] = value;
  return {
    ...env,
    CI: "true",
    NX_DAEMON: "false",
    NX_NO_CLOUD: "true",
    NX_TUI: "false",
    NX_SKIP_NX_CACHE: "true",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    NO_COLOR: "1",
  };
}

interface Outcome {
  codes: number[];
  output: string;
  ms: number;
}

let scratch: string;
let template: string;
const outcomes = new Map<Unit, Outcome>();

/** A copy of the working tree (node_modules linked, timestamps kept, so bundles stay current). */
function copyTree(from: string, to: string) {
  fs.cpSync(from, to, {
    recursive: true,
    preserveTimestamps: true,
    verbatimSymlinks: true,
    filter: (src) =>
      path.dirname(src) !== from || !NOT_COPIED.has(path.basename(src)),
  });
  fs.symlinkSync(
    path.join(REPO_ROOT, "node_modules"),
    path.join(to, "node_modules"),
  );
}

/** A line as its tool's entry point prints it: nothing, or the text and a newline. */
const printed = (text: string) => (text ? `${text}\n` : "");

async function runSteps(unit: Unit, index: number): Promise<Outcome> {
  const start = Date.now();
  // The block's files (what `> file` writes, --from and --against read, rm removes), in a folder
  // of its own: a file name in a step stands for this folder's file.
  const dir = path.join(scratch, `steps-${index}`);
  fs.mkdirSync(dir);
  const codes: number[] = [];
  let output = "";
  const emit = (text: string, to?: string) => {
    if (to === undefined) output += text;
    else fs.writeFileSync(path.join(dir, to), text);
  };
  for (const step of unit.inProcess!) {
    if (step.kind === "echo") {
      emit(`${step.text}\n`, step.to);
      codes.push(0);
    } else if (step.kind === "rm") {
      const file = path.join(dir, step.file);
      const exists = fs.existsSync(file);
      if (exists) fs.rmSync(file);
      else
        output += `rm: cannot remove '${step.file}': No such file or directory\n`;
      codes.push(exists ? 0 : 1);
    } else {
      const argv = [...step.argv];
      for (const { index: i, file, prefix } of fileArgs(step)!)
        argv[i] = `${prefix}${path.join(dir, file)}`;
      // An evaluation is one long chain of promise callbacks, in which no I/O is handled: let the
      // blocks run as printed read their output and start their next command first.
      await new Promise((resolve) => setImmediate(resolve));
      // A command line that throws (a program bug, exit 1 from the CLI) fails the whole run.
      const result = await TOOLS[step.tool](argv);
      codes.push(result.code);
      emit(printed(result.stdout), step.to);
      output += printed(result.stderr);
    }
  }
  return { codes, output, ms: Date.now() - start };
}

/** The tools a block runs in this process, for its test's name: "plan", "assess and policy". */
const inProcessTools = (unit: Unit) =>
  [
    ...new Set(
      unit.inProcess!.flatMap((s) => (s.kind === "tool" ? [s.tool] : [])),
    ),
  ].join(" and ");

/** Whether a block run in this process writes files (echo, a redirect, rm), for its test's name. */
const writesFiles = (unit: Unit) =>
  unit.inProcess!.some((s) => s.kind !== "tool" || s.to !== undefined);

function runAsPrinted(unit: Unit, index: number): Promise<Outcome> {
  const dir = path.join(scratch, `unit-${index}`);
  const repo = path.join(dir, "repo");
  fs.mkdirSync(dir);
  copyTree(template, repo);
  const rcFile = path.join(dir, "rc");
  const script = unit.commands
    .map((c) => `${c.text}\necho $? >> ${JSON.stringify(rcFile)}`)
    .join("\n");
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], {
      cwd: repo,
      env: ciEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", () => {
      const codes = fs.existsSync(rcFile)
        ? fs.readFileSync(rcFile, "utf8").trim().split("\n").map(Number)
        : [];
      resolve({ codes, output, ms: Date.now() - start });
    });
  });
}

describe("the docs' commands", () => {
  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-docs-"));
    template = path.join(scratch, "template");
    // Longest first: a matrix, Nx or a rebuild after new-env; then by number of commands.
    const weight = (u: Unit) =>
      u.commands.length +
      u.commands.filter((c) => /--matrix|nx |new-env|--diff/.test(c.command))
        .length *
        2;
    const queue = [...DOCS.units].sort((a, b) => weight(b) - weight(a));
    const spawned = queue.filter((u) => !u.inProcess);
    // The working tree is copied for the blocks run as printed, when there are any.
    if (spawned.length > 0) copyTree(REPO_ROOT, template);
    // Pulumi's mock runtime is one per process: the in-process blocks go one at a time, beside
    // the build and the blocks run as printed (so none of them holds a place among the workers).
    const inProcess = (async () => {
      for (const unit of queue.filter((u) => u.inProcess))
        outcomes.set(unit, await runSteps(unit, DOCS.units.indexOf(unit)));
    })();
    const asPrinted = (async () => {
      if (spawned.length === 0) return;
      // One build for every copy: `npm run <tool>` then finds its bundles current.
      const build = await new Promise<{ code: number | null; stderr: string }>(
        (resolve) => {
          const child = spawn(process.execPath, ["tools/build.mjs"], {
            cwd: template,
            env: ciEnv(),
            stdio: ["ignore", "ignore", "pipe"],
          });
          let stderr = "";
          child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
          child.on("close", (code) => resolve({ code, stderr }));
        },
      );
      if (build.code !== 0)
        throw new Error(`tools/build.mjs failed:\n${build.stderr}`);
      const workers = Math.max(
        2,
        os.availableParallelism?.() ?? os.cpus().length,
      );
      let next = 0;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < spawned.length) {
            const unit = spawned[next++];
            outcomes.set(
              unit,
              await runAsPrinted(unit, DOCS.units.indexOf(unit)),
            );
          }
        }),
      );
    })();
    for (const done of await Promise.allSettled([inProcess, asPrinted]))
      if (done.status === "rejected") throw done.reason;
  }, 300_000);

  afterAll(() => {
    if (process.env.DOCS_TIMING)
      console.log(
        [...outcomes]
          .map(
            ([u, o]) =>
              `${o.ms} ms ${u.where}: ${u.commands.map((c) => c.command).join(" ; ")}`,
          )
          .join("\n"),
      );
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("marks every shell block offline (run here) or account (needs AWS)", () => {
    const unmarked = DOCS.shell
      .filter((f) => !f.info.includes("offline") && !f.info.includes("account"))
      .map((f) => `${f.file}:${f.line}`);
    expect(unmarked).toEqual([]);
    expect(DOCS.offline.length).toBeGreaterThan(10);
  });

  it("starts the README with the two commands: install and plan offline, and the tests", () => {
    const first = DOCS.all.find((f) => f.file === "README.md");
    expect(first?.info).toEqual(["sh", "offline"]);
    expect(commandsOf(first!).map((c) => c.command)).toEqual([
      "npm ci && npm run plan -- --stack dev",
      "npm test",
    ]);
  });

  it("covers by name only commands the docs print, each with what covers it", () => {
    const printed = new Set(
      DOCS.offline.flatMap((f) => commandsOf(f).map((c) => c.command)),
    );
    for (const [command, { by }] of Object.entries(COVERED)) {
      expect([command, printed.has(command)]).toEqual([command, true]);
      for (const file of by.match(/[\w./-]+\.(?:ts|md|js)\b/g) ?? [])
        expect([file, fs.existsSync(path.join(REPO_ROOT, file))]).toEqual([
          file,
          true,
        ]);
    }
  });

  it("runs through the Nx plan target the plan the docs run (so that target is covered by name)", () => {
    const stacks = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, "stacks", "package.json"), "utf8"),
    ) as {
      nx: {
        targets: {
          plan: {
            options: { command: string };
            configurations: Record<string, { args: string }>;
          };
        };
      };
    };
    const { plan } = stacks.nx.targets;
    expect([plan.options.command, plan.configurations.prod.args]).toEqual([
      "npm run --silent plan -- --json",
      "--stack prod",
    ]);
    const nx = DOCS.units.filter((u) =>
      u.commands.some((c) => c.command.startsWith(NX_PLAN)),
    );
    expect(nx.length).toBeGreaterThan(0);
    // ... and runs it through npm and the bundle, as the target does: one plan alone on stdout.
    const run = spawnSync("sh", ["-c", NX_PLAN], {
      cwd: REPO_ROOT,
      env: ciEnv(),
      encoding: "utf8",
    });
    expect([run.status, run.stderr]).toEqual([0, expect.any(String)]);
    expect(JSON.parse(run.stdout)).toMatchObject({
      stack: "prod",
      tier: "active-active",
    });
  });

  it.each(
    DOCS.units.map(
      (u) =>
        [
          `${u.where} ${u.inProcess ? `runs its ${inProcessTools(u)} flags in process${writesFiles(u) ? ", its files in a folder of its own" : ""}` : "runs as printed"}`,
          u,
        ] as const,
    ),
  )("%s", (_where, unit) => {
    const outcome = outcomes.get(unit);
    expect(outcome).toBeDefined();
    const got = unit.commands.map((c, i) => ({
      command: c.text,
      exit: outcome!.codes[i],
    }));
    const want = unit.commands.map((c) => ({
      command: c.text,
      exit: c.expected,
    }));
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(
        `${JSON.stringify(got, null, 2)}\n--- output (last 3000 characters):\n${outcome!.output.slice(-3000)}`,
      );
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a markdown text: explicit ids and headings' slugs (outside code blocks). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let inFence = false;
  for (const line of text.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    for (const m of line.matchAll(/\bid="([^"]+)"/g)) anchors.add(m[1]);
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      const slug = headingSlug(heading[1]);
      const n = counts.get(slug) ?? 0;
      counts.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
  }
  return anchors;
}

/** Relative links of a markdown text (outside code), as [target, line]. */
export function linksOf(text: string): [string, number][] {
  const links: [string, number][] = [];
  let inFence = false;
  text.split("\n").forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return;
    const prose = line.replace(/`[^`]*`/g, "``");
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g))
      if (!/^[a-z]+:/i.test(m[1])) links.push([m[1], i + 1]);
  });
  return links;
}

describe("the lines a block run in this process may hold", () => {
  it("are read as bash reads them: plain words and '...' strings, a final `> file`", () => {
    expect(
      shellWords("npm run plan -- --config 'a=b c $d' --stack dev"),
    ).toEqual({
      words: [
        "npm",
        "run",
        "plan",
        "--",
        "--config",
        "a=b c $d",
        "--stack",
        "dev",
      ],
      to: undefined,
    });
    expect(shellWords("echo '{\"a\": 1}' > x.json")).toEqual({
      words: ["echo", '{"a": 1}'],
      to: "x.json",
    });
    for (const other of [
      'npm run plan -- --config "a b"',
      "npm run plan -- --config=a'b c'",
      "npm run plan -- --stack $STACK",
      "npm run plan -- --stack dev 2> err",
      "npm run plan -- --stack dev >> x.json",
      "npm run plan -- --stack dev > x.json y",
      "npm run plan -- --stack dev > ../x.json",
      "npm run plan -- --stack dev | tee x",
      "npm run plan -- --stack dev && rm x",
      "npm run plan -- --stack *",
    ])
      expect([other, shellWords(other)]).toEqual([other, undefined]);
  });

  it("are a tool's command line, echo or rm; a redirected tool only with --silent", () => {
    expect(
      stepOf("npm run --silent plan -- --stack dev --json > a.json"),
    ).toEqual({
      kind: "tool",
      tool: "plan",
      argv: ["--stack", "dev", "--json"],
      to: "a.json",
    });
    expect(stepOf("rm a.json")).toEqual({ kind: "rm", file: "a.json" });
    for (const other of [
      "npm run plan -- --stack dev --json > a.json",
      "npm run new-env -- --name qa",
      "npm run plan --stack dev",
      "npm test",
      "rm -f a.json",
      "rm a.json b.json",
      "cat a.json",
    ])
      expect([other, stepOf(other)]).toEqual([other, undefined]);
  });

  it("read only files an earlier line of the block wrote, and hold a tool's line", () => {
    const block = (...lines: string[]) =>
      stepsOf(
        lines.map((command, line) => ({
          text: command,
          command,
          line,
          expected: 0,
        })),
      );
    expect(
      block(
        "echo '{}' > a.json",
        "npm run plan -- --stack dev --from a.json",
        "npm run plan -- --stack dev --from=a.json",
        "rm a.json",
      ),
    ).toHaveLength(4);
    // --out writes a file a later line may read; a path elsewhere runs the block as printed.
    expect(
      block(
        "npm run plan -- -s dev --json --out p.json",
        "npm run plan -- -s dev --diff dr:failover=true --against p.json",
      ),
    ).toHaveLength(2);
    expect(
      block("npm run plan -- -s dev --json --out tools/p.json"),
    ).toBeUndefined();
    expect(block("npm run plan -- --stack dev --from a.json")).toBeUndefined();
    expect(
      block("npm run plan -- --stack dev --against tools/src/x.json"),
    ).toBeUndefined();
    expect(block("echo '{}' > a.json", "rm a.json")).toBeUndefined();
  });
});

describe("the docs' links", () => {
  it("resolve: every relative link to a file, every #anchor to an anchor in it", () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      for (const [link, line] of linksOf(text)) {
        const [target, anchor] = link.split("#");
        const resolved = target
          ? path.join(REPO_ROOT, path.dirname(file), target)
          : path.join(REPO_ROOT, file);
        if (!fs.existsSync(resolved)) broken.push(`${file}:${line} ${link}`);
        else if (
          anchor !== undefined &&
          !anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor)
        )
          broken.push(`${file}:${line} ${link} (no such anchor)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("keeps the anchors alerts link to: each tier's runbook and the disaster-day page", () => {
    // Every runbook: the failover, the failback, its game day (or, at a tier without one, how to
    // rehearse instead) and what only a real account shows; the Region switch plan at the tiers
    // that have one.
    const runbook = [
      "failover",
      "failback",
      "game-day",
      "verify-in-a-sandbox-account",
    ];
    const required: Record<string, string[]> = {
      "docs/runbooks/backup-restore.md": runbook,
      "docs/runbooks/pilot-light.md": [...runbook, "region-switch"],
      "docs/runbooks/warm-standby.md": [...runbook, "region-switch"],
      "docs/runbooks/active-active.md": [...runbook, "region-switch"],
      "docs/disaster-day.md": [
        "checklist",
        "state",
        "failover-reach",
        "region-switch",
        "state-failback",
      ],
    };
    for (const [file, anchors] of Object.entries(required)) {
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      for (const anchor of anchors)
        expect([file, anchor, text.includes(`<a id="${anchor}"></a>`)]).toEqual(
          [file, anchor, true],
        );
    }
  });
});
