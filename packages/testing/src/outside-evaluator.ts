// Evaluations outside jest's module registry. Jest runs each test file in a vm context of its own
// with a module registry of its own: every file loads @pulumi/pulumi, @pulumi/aws and the program
// anew and runs them cold, and code in a vm context reaches its globals through interceptors. An
// evaluation of prod took 310-440 ms there once warm against 110-230 ms in plain Node (and 750 ms
// as a file's first). So each jest worker keeps one evaluator, built from the sources by the
// run's global setup (jest-global-setup.js) and loaded once per worker by the test environment
// (jest-environment.js), outside every test file; a cache miss is evaluated there and only its
// JSON crosses over. The run cache (run-cache.ts) decides what is evaluated; this file only where.
import { decode, encodeExactly } from "./exact-json";

/** The test global the environment puts the worker's evaluator under (jest-environment.js). */
export const EVALUATE_OUTSIDE = "aws-dr.evaluate-outside";

/** An evaluation by name and JSON arguments; its result's JSON, or undefined for an unknown name. */
export type Evaluator = (
  entry: string,
  args: string,
) => Promise<string | undefined>;

/** The same evaluation as a cachedEvaluation's `evaluate`: an entry of the evaluator and its arguments. */
export interface OutsideEvaluation {
  entry: string;
  args: unknown[];
}

/**
 * The result's JSON, evaluated by the worker's evaluator; undefined when the run has none, it does
 * not know the entry, JSON cannot hold the result exactly, or the evaluation failed (the caller
 * then evaluates in the test file, which throws the error where the test expects it).
 */
export async function evaluateOutside(
  evaluation: OutsideEvaluation,
): Promise<string | undefined> {
  const evaluator = (globalThis as Record<string, unknown>)[
    EVALUATE_OUTSIDE
  ] as Evaluator | undefined;
  // Arguments JSON would change (NaN, a Date, ...) would be evaluated as something else.
  const args = encodeExactly(evaluation.args);
  if (!evaluator || args === undefined) return undefined;
  try {
    return await evaluator(evaluation.entry, args);
  } catch {
    return undefined;
  }
}

/** What a project's evaluator module exports: its entries, each the same function a test file calls. */
export type OutsideEntries = Record<
  string,
  (...args: never[]) => Promise<unknown>
>;

/** The evaluator of a project's entries (what its evaluator module exports as `evaluate`). */
export function outsideEvaluator(entries: OutsideEntries): Evaluator {
  return async (entry, args) => {
    const evaluate = Object.hasOwn(entries, entry) ? entries[entry] : undefined;
    if (!evaluate) return undefined;
    return encodeExactly(await evaluate(...(decode(args) as never[])));
  };
}
