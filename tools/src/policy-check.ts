import type {
  PolicyProviderResource,
  PolicyResource,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { policiesFor, stackFacts } from "@aws-dr/policy";
import type { RawStackConfig } from "@aws-dr/offline-plan";
import { evaluateRun, type Plan, type PlannedResource } from "./evaluate";

/** An offline plan and the stack config the program was evaluated with. */
export interface EvaluatedStack {
  plan: Plan;
  config: RawStackConfig;
}

/**
 * Evaluates the program for a stack (with `--config` overrides) and keeps the config it ran with:
 * what the mock runtime held while the program read it, overrides included. The pack learns
 * production from that same config (the engine hands a real pack the program's config, see
 * policy/src/stack.ts), so offline and under the CLI the pack and the program agree on it.
 */
export async function evaluateStack(
  program: Parameters<typeof evaluateRun>[0],
  stack: string,
  overrides: string[] = [],
): Promise<EvaluatedStack> {
  return withConfig(stack, await evaluateRun(program, stack, overrides));
}

/** An evaluation of `stack`, refused if the mock runtime held no config for it. */
export function withConfig(
  stack: string,
  evaluated: EvaluatedStack,
): EvaluatedStack {
  // Without it the pack would assume production (stack.ts): say so rather than check on a guess.
  if (Object.keys(evaluated.config).length === 0)
    throw new Error(
      `the mock runtime holds no config after evaluating ${stack}`,
    );
  return evaluated;
}

export interface Violation {
  policy: string;
  message: string;
  urn?: string;
  /** The policy's enforcement level: only a mandatory violation fails a run. */
  level: "mandatory" | "advisory";
}

/**
 * The offline plan as CrossGuard presents a stack to stack policies: resources with their inputs as
 * props, their provider, parent, and the resources each input came from.
 */
export function policyResources(plan: Plan): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const providers = new Map<string, PolicyProviderResource>();
  for (const r of plan.resources) {
    if (r.type.startsWith("pulumi:providers:"))
      providers.set(r.urn, {
        type: r.type,
        props: r.inputs,
        urn: r.urn,
        name: r.name,
      });
  }
  for (const r of plan.resources)
    byUrn.set(r.urn, toPolicyResource(r, providers));
  for (const r of plan.resources) {
    const resource = byUrn.get(r.urn) as PolicyResource;
    resource.parent = r.parent ? byUrn.get(r.parent) : undefined;
    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
      resource.propertyDependencies[key] = urns.flatMap(
        (u) => byUrn.get(u) ?? [],
      );
    }
    resource.dependencies = Object.values(resource.propertyDependencies).flat();
  }
  return [...byUrn.values()];
}

// CrossGuard's sentinel for an unknown string (what a preview holds before a value exists): an
// internal of @pulumi/policy, which the Pulumi CLI's pack process reads the same way. policy.test's
// "a real preview's unknown values" fails if its proxy no longer takes this value for unknown.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped internal module
const { unknownStringValue } = require("@pulumi/policy/proxy") as {
  unknownStringValue: unknown;
};

/** Inputs as a real preview shows them: "[unknown]" becomes unknown, and reading it throws. */
function previewProps(
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const mark = (value: unknown): unknown =>
    value === "[unknown]"
      ? unknownStringValue
      : Array.isArray(value)
        ? value.map(mark)
        : value && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value).map(([k, v]) => [k, mark(v)]),
            )
          : value;
  return unknownCheckingProxy(mark(inputs)) as Record<string, unknown>;
}

function toPolicyResource(
  r: PlannedResource,
  providers: Map<string, PolicyProviderResource>,
): PolicyResource {
  return {
    type: r.type,
    props: previewProps(r.inputs),
    urn: r.urn,
    name: r.name,
    opts: {
      protect: r.protect,
      ignoreChanges: r.ignoreChanges,
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    provider: r.provider ? providers.get(r.provider) : undefined,
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  } as PolicyResource;
}

/**
 * Runs every policy over the plan, production ones where `config` (the config the plan was evaluated
 * with) makes the stack production; each violation names its policy, resource and reason.
 */
export async function checkPolicies(
  plan: Plan,
  config: RawStackConfig,
  policies: StackValidationPolicy[] = policiesFor(stackFacts(config)),
): Promise<Violation[]> {
  const resources = policyResources(plan);
  const violations: Violation[] = [];
  for (const policy of policies) {
    await policy.validateStack(
      {
        resources,
        stackTags: new Map(),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
          throw new Error(`not applicable: ${reason ?? ""}`);
        },
      },
      (message, urn) =>
        violations.push({
          policy: policy.name,
          message,
          urn,
          level:
            policy.enforcementLevel === "advisory" ? "advisory" : "mandatory",
        }),
    );
  }
  return violations;
}
