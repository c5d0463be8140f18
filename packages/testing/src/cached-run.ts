import { NO_DEPLOYED_STATE_GIVEN } from "@aws-dr/contracts";
import {
  ofType,
  oneOf,
  runProgram,
  type Program,
  type RecordedCall,
  type RecordedResource,
  type RawStackConfig,
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
 * `runProgram`, once per test run for each program, stack, config and set of secret keys (see
 * run-cache.ts); a failed run throws its ProgramError, as `runProgram` does. `programId` names the
 * program (e.g. "stacks source"): two programs of one name must be the same code.
 */
export async function cachedRun(
  program: Program,
  programId: string,
  project: string,
  stack: string,
  config: RawStackConfig,
  secretKeys: readonly string[] = [],
  /** The outputs of the stack's last update; default: none given, so no move is checked. */
  deployedOutputs: Record<string, unknown> = NOTHING_DEPLOYED_GIVEN,
): Promise<RecordedRun> {
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
    async () => {
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
    },
  );
  return {
    recorder: new Recording(run.resources, run.calls),
    outputs: run.outputs,
    warnings: run.warnings,
  };
}
