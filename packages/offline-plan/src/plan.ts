import type { RecordedResource } from "./recorder";
import type { ProgramRun } from "./run-program";

/**
 * The `plan --json` document: the offline-evaluation contract CI, the diff and the policy checks
 * read (docs/plan-contract.md describes every field).
 */
export interface Plan {
  stack: string;
  /** The program's `tier` stack output. */
  tier: unknown;
  /** The program's `failover` stack output. */
  failover: unknown;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  /** The program's warnings (e.g. a tier key set at a tier that does not use it). */
  warnings: string[];
}

/**
 * A recorded resource with every contract field present (absent parent, provider or region is
 * null) and every resource option a real `pulumi up` acts on, which decide what a change really
 * does (ignored, replaced, kept in AWS, refused).
 */
export type PlannedResource = Pick<
  RecordedResource,
  | "urn"
  | "type"
  | "name"
  | "protect"
  | "retainOnDelete"
  | "ignoreChanges"
  | "propertyDependencies"
  | "inputs"
  | "dependsOn"
  | "deleteBeforeReplace"
  | "replaceOnChanges"
  | "customTimeouts"
  | "aliases"
> & {
  parent: string | null;
  provider: string | null;
  region: string | null;
};

/**
 * A recorded resource in the contract's field order: the first contract's fields as they always
 * were (plans are compared field by field across commits), fields added since after `inputs`.
 */
function planned(r: RecordedResource): PlannedResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent ?? null,
    provider: r.provider ?? null,
    region: r.region ?? null,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    ignoreChanges: r.ignoreChanges,
    propertyDependencies: r.propertyDependencies,
    inputs: r.inputs,
    dependsOn: r.dependsOn,
    deleteBeforeReplace: r.deleteBeforeReplace,
    replaceOnChanges: r.replaceOnChanges,
    customTimeouts: r.customTimeouts,
    aliases: r.aliases,
  };
}

/** The plan of one run of the program for a stack. */
export function toPlan(stack: string, run: ProgramRun): Plan {
  return {
    stack,
    tier: run.outputs.tier,
    failover: run.outputs.failover,
    resources: run.recorder.resources.map(planned),
    outputs: run.outputs,
    warnings: run.warnings,
  };
}
