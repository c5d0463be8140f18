import * as pulumi from "@pulumi/pulumi";
import { callResult, computedOutputs, mockArn } from "./mock-outputs";
import { resourceOptions, type ResourceOptions } from "./resource-options";
import {
  hookMockMonitor,
  providerRefUrn,
  waitForRPCs,
  type Registration,
} from "./sdk-internals";

/**
 * One resource the program registered, as the engine would see it: where it sits (parent,
 * provider, region), what it is given (inputs) and every resource option a real `pulumi up` acts on.
 */
export interface RecordedResource extends ResourceOptions {
  urn: string;
  type: string;
  name: string;
  parent: string | undefined;
  /** URN of the provider resource it was created with (its own or inherited through parents). */
  provider: string | undefined;
  /** Region of that provider. */
  region: string | undefined;
  custom: boolean;
  /** Inputs as sent to the engine; secrets read "[secret]", unknowns "[unknown]". */
  inputs: Record<string, unknown>;
}

/** One data source (invoke) the program called, with the region of the provider it went to. */
export interface RecordedCall {
  token: string;
  inputs: Record<string, unknown>;
  region: string | undefined;
}

/**
 * A URN as the engine computes it. The mock monitor qualifies a URN's type with the nearest
 * parent's type only; the engine uses the whole chain, so a re-parented resource's URN (and
 * identity) changes. Do as the engine does.
 */
function engineUrn(parent: string, type: string, name: string): string {
  const qualifiedType = parent ? `${parent.split("::")[2]}$${type}` : type;
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualifiedType}::${name}`;
}

/** The organization a DIY backend's stacks belong to, and so the offline runs'. */
const SELF_ORGANIZATION = "organization";
const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * Pulumi mocks that record every registered resource with its parent, provider, region and
 * resource options, and answer with deterministic ids, ARNs and outputs. One recorder per run.
 */
export class PlanRecorder implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  readonly calls: RecordedCall[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();

  private constructor(
    /** What a StackReference to the run's own stack reads: its last update's outputs. */
    private readonly deployedOutputs: Record<string, unknown>,
  ) {}

  /**
   * Installs the recorder as the mock runtime for one project and stack, in the organization a
   * DIY backend names "organization". `deployedOutputs`: the outputs a StackReference to this very
   * stack reads (none: a stack not deployed yet); a reference to any other stack reads none.
   */
  static async install(
    project: string,
    stack: string,
    deployedOutputs: Record<string, unknown> = {},
  ): Promise<PlanRecorder> {
    const recorder = new PlanRecorder(deployedOutputs);
    await pulumi.runtime.setMocks(
      recorder,
      project,
      stack,
      false,
      SELF_ORGANIZATION,
    );
    hookMockMonitor({
      newUrn: engineUrn,
      onRegister: (registration) => recorder.record(registration),
    });
    return recorder;
  }

  private record(registration: Registration): void {
    const { type, name, custom } = registration;
    const urn = engineUrn(registration.parent, type, name);
    const parent = registration.parent || undefined;
    const inherited = parent ? this.byUrn.get(parent) : undefined;
    const inputs = registration.inputs;
    // Components pass their providers down to children the SDK sends without one (remote
    // components such as awsx's included); a custom resource without one uses a default provider.
    const provider =
      providerRefUrn(registration.provider) ??
      providerRefUrn(registration.providers.aws) ??
      (custom ? undefined : inherited?.provider);
    const isAws = type.startsWith("aws:") || type === "pulumi:providers:aws";
    // @pulumi/aws v7 resources may name their own region; otherwise it is their provider's.
    const ownRegion =
      isAws && typeof inputs.region === "string" ? inputs.region : undefined;
    const region =
      ownRegion ??
      (provider
        ? this.byUrn.get(provider)?.region
        : custom
          ? undefined
          : inherited?.region);
    const options = resourceOptions(registration);
    const resource: RecordedResource = {
      urn,
      type,
      name,
      parent,
      provider,
      region,
      custom,
      protect: options.protect,
      retainOnDelete: options.retainOnDelete,
      ignoreChanges: options.ignoreChanges,
      propertyDependencies: options.propertyDependencies,
      inputs,
      dependsOn: options.dependsOn,
      deleteBeforeReplace: options.deleteBeforeReplace,
      replaceOnChanges: options.replaceOnChanges,
      customTimeouts: options.customTimeouts,
      aliases: options.aliases,
    };
    this.resources.push(resource);
    this.byUrn.set(urn, resource);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string;
    state: Record<string, unknown>;
  } {
    if (args.type === STACK_REFERENCE) {
      // A read, not a registration: recorded as a call (it reads the state backend, no region).
      const name = String(args.inputs.name);
      this.calls.push({
        token: STACK_REFERENCE,
        inputs: { name },
        region: undefined,
      });
      const self = `${SELF_ORGANIZATION}/${pulumi.getProject()}/${pulumi.getStack()}`;
      return {
        id: name,
        state: {
          name,
          outputs: name === self ? this.deployedOutputs : {},
          secretOutputNames: [],
        },
      };
    }
    const ownRegion = args.type.startsWith("aws:")
      ? (args.inputs.region as string | undefined)
      : undefined;
    const region =
      ownRegion ?? this.regionOf(args.provider) ?? "unknown-region";
    const id = `${args.name}-id`;
    // Stand in for autonaming, which the engine does and the mock runtime does not.
    const state = {
      name: args.name,
      ...args.inputs,
      arn: mockArn(args.type, args.name, region),
      ...computedOutputs(args.type, args.name, region, args.inputs),
    };
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const region = this.regionOf(args.provider);
    this.calls.push({ token: args.token, inputs: args.inputs, region });
    return callResult(args.token, region ?? "unknown-region", args.inputs);
  }

  private regionOf(providerRef: string | undefined): string | undefined {
    const urn = providerRefUrn(providerRef);
    return urn ? this.byUrn.get(urn)?.region : undefined;
  }

  /** Resolves once the SDK's queue of outstanding work (registrations waiting on inputs included) has drained. */
  settled(): Promise<void> {
    return waitForRPCs();
  }

  /** Every recorded resource of a type, in registration order. */
  ofType(type: string): RecordedResource[] {
    return ofType(this.resources, type);
  }

  /** The single resource of a type whose logical name ends with the suffix; throws otherwise. */
  one(type: string, nameSuffix = ""): RecordedResource {
    return oneOf(this.resources, type, nameSuffix);
  }
}

/** The resources of a type, in registration order. */
export function ofType(
  resources: RecordedResource[],
  type: string,
): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The single resource of a type whose logical name ends with the suffix; throws otherwise. */
export function oneOf(
  resources: RecordedResource[],
  type: string,
  nameSuffix = "",
): RecordedResource {
  const found = ofType(resources, type).filter((r) =>
    r.name.endsWith(nameSuffix),
  );
  if (found.length !== 1)
    throw new Error(
      `expected one ${type} named *${nameSuffix}, found ${found.map((r) => r.name).join(", ") || "none"}`,
    );
  return found[0];
}
