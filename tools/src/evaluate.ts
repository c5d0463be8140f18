import { PROJECT } from "@aws-dr/contracts";
import {
  runProgram,
  type Program,
  type RecordedResource,
} from "@aws-dr/testing";
import { applyOverrides, readStack, secretKeysAfter } from "./stack-config";

/** The `plan --json` document: the design's offline-evaluation contract. */
export interface Plan {
  stack: string;
  tier: unknown;
  failover: unknown;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  /** The program's warnings (e.g. a tier key set at a tier that does not use it). */
  warnings: string[];
}

/**
 * A recorded resource with every contract field present (absent parent, provider or region is
 * null), plus ignoreChanges, which decides what a change to its inputs really does.
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
> & {
  parent: string | null;
  provider: string | null;
  region: string | null;
};

/** Evaluates the program for stacks/Pulumi.<stack>.yaml plus overrides under the mock runtime. */
export async function evaluate(
  program: Program,
  stack: string,
  overrides: string[] = [],
  root?: string,
): Promise<Plan> {
  const file = readStack(stack, root);
  const config = applyOverrides(file.config, overrides);
  // `secure:` values stay secret; a --config value is plain text, as `pulumi config set` without
  // --secret would store it.
  const { recorder, outputs, warnings } = await runProgram(
    program,
    PROJECT,
    stack,
    config,
    secretKeysAfter(file.secretKeys, overrides),
  );
  const resources = recorder.resources.map(({ custom: _custom, ...r }) => ({
    ...r,
    parent: r.parent ?? null,
    provider: r.provider ?? null,
    region: r.region ?? null,
  }));
  return {
    stack,
    tier: outputs.tier,
    failover: outputs.failover,
    resources,
    outputs,
    warnings,
  };
}
