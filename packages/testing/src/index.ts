// @aws-dr/testing: helpers only tests use, over the offline plan engine (@aws-dr/offline-plan).
export { record } from "./record";
// What component, stack and tool tests take from the engine, under the names they always imported.
export {
  PlanRecorder,
  ProgramError,
  runProgram,
  type Program,
  type ProgramRun,
  type RecordedCall,
  type RecordedResource,
  type StackConfig,
} from "@aws-dr/offline-plan";
