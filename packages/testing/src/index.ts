// @aws-dr/testing: helpers only tests use, over the offline plan engine (@aws-dr/offline-plan).
export { record } from "./record";
// One evaluation per state per test run, shared by every test file (run-cache.ts).
export { cachedRun, Recording, type RecordedRun } from "./cached-run";
export { cachedEvaluation, RUN_CACHE_DIR, RUN_CACHE_LOG } from "./run-cache";
// What component, stack and tool tests take from the engine, under the names they always imported.
export {
  PlanRecorder,
  ProgramError,
  runProgram,
  type Program,
  type ProgramRun,
  type RecordedCall,
  type RecordedResource,
  type RawStackConfig,
} from "@aws-dr/offline-plan";
