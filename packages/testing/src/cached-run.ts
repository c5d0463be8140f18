import { NO_DEPLOYED_STATE_GIVEN } from "@aws-dr/contracts";
import {
  ofType,
  oneOf,
  runProgram,
  type Program,
  type RecordedCall,
  type RecordedResource,
  type StackConfig,
} from "@aws-dr/offline-plan";
import { cachedEvaluation } from "./run-cache";

/** What an offline run reads as its stack's last outputs when given none: check no move. */
export const NOTHING_DEPLOYED_GIVEN = { [NO_DEPLOYED_STATE_GIVEN]: true };

/** What a run recorded, as tests read it: PlanRecorder's records and look-ups, without the mocks. */
export class Recording {
  constructor(
    readonly resources: RecordedResource[],
    readonly calls: RecordedCall[],
  ) {}

  /** Every recorded resource of a type, in registration order (as PlanRecorder.ofType). */
  ofType(type: string): RecordedResource[] {
    return ofType(this.resources, type);
  }

  /** The single resource of a type whose logical name ends with the suffix; throws otherwise (as PlanRecorder.one). */
  one(type: string, nameSuffix = ""): RecordedResource {
    return oneOf(this.resources, type, nameSuffix);
  }
}

/** A successful run of a program, as `runProgram` returns it, its recorder read as a Recording. */
export interface RecordedRun {
  recorder: Recording;
  outputs: Record<string, unknown>;
  warnings: string[];
}

/**
 * A program that loads on its first run. A test file whose runs all come from the run cache or the
 * outside evaluator then never loads the SDK and the program into its own module registry (about
 * a second of CPU per file); one that runs it itself (a config the program refuses) loads it then.
 */
export const lazyProgram =
  (load: () => Program): Program =>
  () =>
    load()();

/** A run's records, outputs and warnings as JSON holds them: what the run cache keeps of it. */
export interface RunRecords {
  resources: RecordedResource[];
  calls: RecordedCall[];
  outputs: Record<string, unknown>;
  warnings: string[];
}

/** The outside evaluator's entry that runs the program of this id (recordsOfRun). */
export const runEntry = (programId: string) => `run:${programId}`;

/** What a run of a program is given besides the program: `runProgram`'s other arguments. */
export type RunArgs = [
  project: string,
  stack: string,
  config: StackConfig,
  secretKeys: readonly string[],
  deployedOutputs: Record<string, unknown>,
];

/** `runProgram`, kept as the run cache keeps it (an evaluator's entry, outside-evaluator.ts). */
export async function recordsOfRun(
  program: Program,
  ...[project, stack, config, secretKeys, deployedOutputs]: RunArgs
): Promise<RunRecords> {
  const { recorder, outputs, warnings } = await runProgram(
    program,
    project,
    stack,
    config,
    secretKeys,
    deployedOutputs,
  );
  return {
    resources: recorder.resources,
    calls: recorder.calls,
    outputs,
    warnings,
  };
}

/**
 * `runProgram`, once per test run for each program, stack, config and set of secret keys (see
 * run-cache.ts); a failed run throws its ProgramError, as `runProgram` does. `programId` names the
 * program (e.g. "stacks source"): two programs of one name must be the same code, and a project's
 * outside evaluator runs the program of that name by recordsOfRun, as its entry runEntry(programId)
 * (outside-evaluator.ts).
 */
export async function cachedRun(
  program: Program,
  programId: string,
  project: string,
  stack: string,
  config: StackConfig,
  secretKeys: readonly string[] = [],
  /** The outputs of the stack's last update; default: none given, so no move is checked. */
  deployedOutputs: Record<string, unknown> = NOTHING_DEPLOYED_GIVEN,
): Promise<RecordedRun> {
  const args: RunArgs = [project, stack, config, secretKeys, deployedOutputs];
  const run = await cachedEvaluation(
    {
      evaluation: "runProgram",
      program: programId,
      project,
      stack,
      config,
      secretKeys,
      deployedOutputs,
    },
    () => recordsOfRun(program, ...args),
    { entry: runEntry(programId), args },
  );
  return {
    recorder: new Recording(run.resources, run.calls),
    outputs: run.outputs,
    warnings: run.warnings,
  };
}
