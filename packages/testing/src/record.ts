import {
  runProgram,
  type PlanRecorder,
  type RawStackConfig,
} from "@aws-dr/offline-plan";

/**
 * Records what `build` registers, for component tests: `const rec = await record(() => new X(...))`.
 * A component test needs no stack outputs, so `build` runs as a whole program of the `aws-dr`
 * project's `test` stack, with the given config.
 */
export async function record(
  build: () => unknown,
  config: RawStackConfig = {},
): Promise<PlanRecorder> {
  const { recorder } = await runProgram(
    () => {
      build();
      return {};
    },
    "aws-dr",
    "test",
    config,
  );
  return recorder;
}
