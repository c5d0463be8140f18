import * as pulumi from "@pulumi/pulumi";
import { PlanRecorder } from "./recorder";
import { promiseLeakTrackingOff, runtimeWarning } from "./sdk-internals";

/** A Pulumi program as `pulumi up` calls it: a function whose result becomes the stack outputs. */
export type Program = () =>
  Promise<Record<string, unknown>> | Record<string, unknown>;

/** What one run of a program did: what it registered and called, its outputs and warnings. */
export interface ProgramRun {
  recorder: PlanRecorder;
  outputs: Record<string, unknown>;
  /** What the program logged with pulumi.log.warn, without the runtime's prefix. */
  warnings: string[];
  /** The stack config as the mock runtime held it while the program read it (its values as text). */
  config: RawStackConfig;
}

/** Stack config as Pulumi holds it: full keys ("dr:tier") to values, structured ones as JSON. */
export type RawStackConfig = Record<string, unknown>;

/** What a run is given: the program, where it runs, its config and what is deployed. */
type RunArgs = [
  program: Program,
  project: string,
  stack: string,
  config: RawStackConfig,
  secretKeys?: readonly string[],
  /** The outputs of the stack's last update, for a StackReference to it (default: none). */
  deployedOutputs?: Record<string, unknown>,
];

/**
 * Runs a program under Pulumi's mock runtime with the given stack config, the same code path as
 * `pulumi up` (config through setAllConfig, no engine), and returns what it registered and output.
 * `secretKeys` are the full keys Pulumi holds as secrets (set with `--secret`, `secure:` in the
 * stack file); every other value is plain text, as in a stack file.
 */
export function runProgram(...args: RunArgs): Promise<ProgramRun> {
  // The mock runtime is one per process (its mocks, config and stack resource): a run started
  // while another is under way waits for it, however either ends, or until it has run for
  // runLimits.aloneMs. A run that never ends (a test that holds a resource's answer and fails before
  // giving it) is then given up: what it changed in the process is put back and the next run goes.
  const previous = lastRun;
  const run: Run = {
    settled: waitFor(previous).then(() => {
      run.started = Date.now();
      return runAlone(run, ...args);
    }),
    started: undefined,
    putBack: [],
  };
  lastRun = run;
  return run.settled;
}

/** How long a run may hold the mock runtime: longer than any takes (seconds on a loaded machine). */
export const runLimits = { aloneMs: 20_000 };

interface Run {
  settled: Promise<ProgramRun>;
  /** When it took the mock runtime; undefined while it waits for the run before it. */
  started: number | undefined;
  /** What puts back the process-wide settings it changed; emptied once done. */
  putBack: (() => void)[];
}

let lastRun: Run | undefined;

async function waitFor(previous: Run | undefined): Promise<void> {
  while (previous) {
    const { started } = previous;
    const left =
      started === undefined
        ? runLimits.aloneMs
        : started + runLimits.aloneMs - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      previous.settled.then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(left, 0));
      }),
    ]);
    clearTimeout(timer);
    if (ended) return;
    // Still waiting for its own turn: wait on (it does not hold the runtime yet).
    if (previous.started === undefined) continue;
    putBack(previous);
    return;
  }
}

function putBack(run: Run): void {
  for (const undo of run.putBack.splice(0).reverse()) undo();
}

async function runAlone(
  run: Run,
  ...[
    program,
    project,
    stack,
    config,
    secretKeys = [],
    deployedOutputs,
  ]: RunArgs
): Promise<ProgramRun> {
  const recorder = await PlanRecorder.install(project, stack, deployedOutputs);
  const encoded = Object.fromEntries(
    Object.entries(config).map(([k, v]) => [
      k,
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
  pulumi.runtime.setAllConfig(encoded, [...secretKeys]);
  // The SDK captures `new Error().stack` for every promise it makes (for leak reports we never
  // print) and a whole stack for every resource (its source position, for an engine there is
  // none of), raising the limit to Infinity for it (Resource.callsites); with source maps on (the
  // tests turn them on) formatting them was most of a run's time. No stacks while the program
  // runs: the limit is an accessor meanwhile, which V8 does not read (it takes only a data
  // property), so no error made during the run captures a frame or is ever formatted. Errors the
  // program throws keep their messages (withStackOfMessage).
  const limit = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
  Object.defineProperty(Error, "stackTraceLimit", {
    get: () => 0,
    set: () => {},
    configurable: true,
  });
  run.putBack.push(() => {
    if (limit) Object.defineProperty(Error, "stackTraceLimit", limit);
    else delete (Error as { stackTraceLimit?: number }).stackTraceLimit;
  });
  // Without an engine, pulumi.log.warn writes to the console: collect it with the run instead, so
  // a caller evaluating many configs decides what to show.
  const warnings: string[] = [];
  const consoleWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const warning = runtimeWarning(args.map(String).join(" "));
    if (warning !== undefined) warnings.push(warning);
    else consoleWarn(...args);
  };
  run.putBack.push(() => (console.warn = consoleWarn));
  run.putBack.push(promiseLeakTrackingOff());
  try {
    return {
      ...(await runAndRecord(program, recorder)),
      warnings,
      config: pulumi.runtime.allConfig(),
    };
  } catch (error) {
    throw withStackOfMessage(error);
  } finally {
    putBack(run);
  }
}

/**
 * An error made during a run has no stack (none was captured); whoever reports it (a test runner
 * calls `error.stack.replace`) expects one. It gets the first line a stack has: name and message.
 */
function withStackOfMessage(error: unknown): unknown {
  for (
    let e: unknown = error;
    e instanceof Error && typeof e.stack !== "string";
    e = e.cause
  )
    e.stack = `${e.name}: ${e.message}`;
  return error;
}

async function runAndRecord(
  program: Program,
  recorder: PlanRecorder,
): Promise<Pick<ProgramRun, "recorder" | "outputs">> {
  let result: Awaited<ReturnType<Program>>;
  try {
    result = await program();
  } catch (error) {
    await recorder.settled();
    throw new ProgramError(error, recorder);
  }
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) {
    const output = pulumi.output(value as pulumi.Input<unknown>);
    // Stack outputs that are secrets stay secret in what we print.
    outputs[key] = (await pulumi.isSecret(output))
      ? "[secret]"
      : await resolve(output);
  }
  await recorder.settled();
  return { recorder, outputs };
}

/** The program threw; `recorder` tells what it had registered by then. */
export class ProgramError extends Error {
  constructor(
    readonly cause: unknown,
    readonly recorder: PlanRecorder,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}
