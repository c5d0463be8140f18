// @aws-dr/offline-plan: the offline plan engine. Runs a Pulumi program under the SDK's mock runtime,
// records what a real `pulumi up` would register (with every resource option it acts on) and turns
// a run into the `plan --json` contract. Used by `npm run plan`, CI's data-loss gate and the tests.
export { toPlan, type Plan, type PlannedResource } from "./plan";
export {
  PlanRecorder,
  ofType,
  oneOf,
  type RecordedCall,
  type RecordedResource,
} from "./recorder";
export type {
  RecordedAlias,
  RecordedCustomTimeouts,
  ResourceOptions,
} from "./resource-options";
export {
  ProgramError,
  runProgram,
  type Program,
  type ProgramRun,
  type RawStackConfig,
} from "./run-program";
