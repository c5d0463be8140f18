// `npm run bench`: how long `npm run plan` takes per environment (and prod at each standby tier)
// compared with merely loading @pulumi/pulumi, @pulumi/aws and @pulumi/awsx, each measured as a
// fresh process, at least five runs each. Target: prod under 2x the load time, judged by medians;
// a gap to the target smaller than the runs' spread is "within noise", not a verdict.
import { spawnSync } from "node:child_process";
import { parseCommandLine, type CliResult } from "./args";
import { REPO_ROOT, stackNames, UsageError } from "./stack-config";

export const MIN_RUNS = 5;
/** prod's plan must take less than this many times the load. */
export const TARGET_RATIO = 2;

export const BENCH_USAGE = `usage: npm run bench [-- --runs <n>]
  Times \`npm run plan\` (npm's start-up and the bundle check included) for every shipped stack and
  for prod at pilot light and warm standby, each as fresh processes, against merely loading
  @pulumi/pulumi, @pulumi/aws and @pulumi/awsx; judges each by its median against ${TARGET_RATIO}x the load's.
  Progress and the plans' warnings (each once) go to stderr, the results to stdout. About a minute.
  --runs <n>   runs of each (at least ${MIN_RUNS}, the default)
  -h, --help   print this and exit
Exit 0 when prod is under ${TARGET_RATIO}x or within noise of it; 1 when it is over; 2 for a bad command line.`;

/** The runs of one command: their median and spread (the range of the middle half). */
export interface Summary {
  runs: number;
  median: number;
  /** Quartiles of the runs (for five: the 2nd and 4th fastest). */
  low: number;
  high: number;
  spread: number;
}

export function summarize(seconds: number[]): Summary {
  if (seconds.length === 0) throw new Error("no runs to summarize");
  const s = [...seconds].sort((a, b) => a - b);
  const at = (q: number) => {
    const i = (s.length - 1) * q;
    return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i % 1);
  };
  const [low, median, high] = [at(0.25), at(0.5), at(0.75)];
  return { runs: s.length, median, low, high, spread: high - low };
}

export type Verdict = "ok" | "over target" | "within noise";

export interface Judgement {
  ratio: number;
  /** The plan's median less the target (ratio x the load's median), in seconds. */
  gap: number;
  /** The spread of that difference: the plan's plus ratio x the load's. */
  noise: number;
  verdict: Verdict;
}

/**
 * A plan's runs against the target (`ratio` x the load's median): within noise when the gap
 * between the medians is smaller than the spreads of both (the target's scaled by the ratio), else
 * ok below it or over target.
 */
export function judge(
  plan: Summary,
  load: Summary,
  target = TARGET_RATIO,
): Judgement {
  const gap = plan.median - target * load.median;
  const noise = plan.spread + target * load.spread;
  return {
    ratio: plan.median / load.median,
    gap,
    noise,
    verdict:
      Math.abs(gap) < noise ? "within noise" : gap < 0 ? "ok" : "over target",
  };
}

const fmt = (s: number) => s.toFixed(2);

/** One result line: median, spread, ratio to the load and the verdict. */
export function resultLine(label: string, plan: Summary, j: Judgement): string {
  const verdict =
    j.verdict === "within noise"
      ? `within noise of ${TARGET_RATIO}x (gap ${fmt(Math.abs(j.gap))} s < spread ${fmt(j.noise)} s)`
      : j.verdict === "ok"
        ? "ok"
        : `OVER TARGET (${TARGET_RATIO}x)`;
  return `${label.padEnd(40)} ${fmt(plan.median)} s (spread ${fmt(plan.spread)})  ${fmt(j.ratio)}x load  ${verdict}`;
}

/** Keeps each distinct warning line the first time it is seen. */
export class OnceFilter {
  private readonly seen = new Set<string>();
  /** The lines of this output not printed before. */
  fresh(output: string): string[] {
    const lines: string[] = [];
    for (const line of output.split("\n").map((l) => l.trimEnd())) {
      if (!line || this.seen.has(line)) continue;
      this.seen.add(line);
      lines.push(line);
    }
    return lines;
  }
}

export interface BenchCase {
  label: string;
  /** What prod's verdict decides the exit code on. */
  decides: boolean;
  command: string;
  args: string[];
}

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** What a user runs, npm's start-up and the bundle check included: every stack, prod per standby tier. */
export function benchCases(stacks = stackNames()): BenchCase[] {
  const plan = (stack: string, overrides: string[] = []): BenchCase => ({
    label: `npm run plan ${[stack, ...overrides.filter((o) => o !== "--config")].join(" ")}`,
    decides: stack === "prod",
    command: NPM,
    args: [
      "run",
      "--silent",
      "plan",
      "--",
      "--stack",
      stack,
      ...overrides,
      "--json",
    ],
  });
  return [
    ...stacks.map((s) => plan(s)),
    ...(stacks.includes("prod")
      ? [
          plan("prod", ["--config", "dr:tier=pilot-light"]),
          plan("prod", ["--config", "dr:tier=warm-standby"]),
        ]
      : []),
  ];
}

/** Runs a command once: its time in seconds and what it printed on stderr. */
export type Runner = (
  command: string,
  args: string[],
) => { seconds: number; stderr: string; status: number | null };

const spawnRunner: Runner = (command, args) => {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  return {
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
    stderr: run.stderr ?? "",
    status: run.status,
  };
};

export interface BenchOptions {
  runner?: Runner;
  cases?: BenchCase[];
  /** Progress and warnings, as they happen (stderr). */
  progress?: (line: string) => void;
}

export function runBench(
  argv: string[],
  {
    runner = spawnRunner,
    cases = benchCases(),
    progress = () => {},
  }: BenchOptions = {},
): CliResult {
  let parsed;
  try {
    parsed = parseCommandLine(argv, {
      usage: BENCH_USAGE,
      options: { runs: { type: "string", default: String(MIN_RUNS) } },
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return { code: 2, stdout: "", stderr: err.message };
  }
  if (parsed === "help") return { code: 0, stdout: BENCH_USAGE, stderr: "" };
  const { values } = parsed;
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < MIN_RUNS)
    return {
      code: 2,
      stdout: "",
      stderr: `--runs ${values.runs}: at least ${MIN_RUNS} (a median of fewer says little)\n${BENCH_USAGE}`,
    };

  const total = (cases.length + 1) * runs;
  let done = 0;
  const warnings = new OnceFilter();
  const time = (label: string, command: string, args: string[]): Summary => {
    const seconds: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = runner(command, args);
      done++;
      for (const line of warnings.fresh(run.stderr)) progress(line);
      if (run.status !== 0)
        throw new Error(
          `${label} exited ${run.status}: ${run.stderr.trim().split("\n").pop()}`,
        );
      seconds.push(run.seconds);
      progress(`[${done}/${total}] ${label}: ${fmt(run.seconds)} s`);
    }
    return summarize(seconds);
  };

  try {
    const loadLabel = "load @pulumi/pulumi + @pulumi/aws + @pulumi/awsx";
    const load = time(loadLabel, process.execPath, [
      "-e",
      "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/awsx')",
    ]);
    const lines = [
      `${loadLabel.padEnd(40)} ${fmt(load.median)} s (spread ${fmt(load.spread)})`,
    ];
    let failed = false;
    for (const c of cases) {
      const plan = time(c.label, c.command, c.args);
      const j = judge(plan, load);
      failed ||= c.decides && j.verdict === "over target";
      lines.push(resultLine(c.label, plan, j));
    }
    lines.push(
      `medians of ${runs} runs each; spread: the middle half of the runs; within noise: the gap to ${TARGET_RATIO}x the load is smaller than the spread of both`,
    );
    return { code: failed ? 1 : 0, stdout: lines.join("\n"), stderr: "" };
  } catch (err) {
    return { code: 1, stdout: "", stderr: `bench: ${(err as Error).message}` };
  }
}

if (require.main === module) {
  const { code, stdout, stderr } = runBench(process.argv.slice(2), {
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  if (stdout) process.stdout.write(`${stdout}\n`);
  if (stderr) process.stderr.write(`${stderr}\n`);
  process.exitCode = code;
}
