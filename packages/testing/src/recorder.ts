import * as pulumi from "@pulumi/pulumi";
import { callResult, computedOutputs, mockArn } from "./mock-outputs";

/** One resource the program registered, as the engine would see it. */
export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  parent: string | undefined;
  /** URN of the provider resource it was created with (its own or inherited through parents). */
  provider: string | undefined;
  /** Region of that provider. */
  region: string | undefined;
  custom: boolean;
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  /**
   * For each input, the URNs of the resources its value came from: how policies tie a bucket's
   * versioning or policy to the bucket when ids are unknown (as in a real preview).
   */
  propertyDependencies: Record<string, string[]>;
  /** Inputs as sent to the engine; secrets read "[secret]", unknowns "[unknown]". */
  inputs: Record<string, unknown>;
}

export interface RecordedCall {
  token: string;
  inputs: Record<string, unknown>;
  region: string | undefined;
}

// Pulumi's wire-format markers (sdk/nodejs/runtime/rpc.ts).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns wire-format values into plain JSON, hiding secrets. */
function plain(value: unknown): unknown {
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return "[secret]";
    if (obj[SIG_KEY] === RESOURCE_SIG) return obj.urn;
    return Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [k, plain(v)]),
    );
  }
  return value;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProvidersMap(): { get(key: string): string | undefined };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getIgnorechangesList(): string[];
  getPropertydependenciesMap(): {
    forEach(
      callback: (value: { getUrnsList(): string[] }, key: string) => void,
    ): void;
  };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface Monitor {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(
    req: RegisterRequest,
    callback: (err: unknown, resp: unknown) => void,
  ): Promise<void>;
}

// The SDK's own wait for outstanding work at the end of a program: internal, hence untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as {
  waitForRPCs: () => Promise<void>;
};

function propertyDependencies(req: RegisterRequest): Record<string, string[]> {
  const deps: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    const urns = value.getUrnsList();
    if (urns.length > 0) deps[key] = urns;
  });
  return deps;
}

/** A provider reference is "<urn>::<id>". */
const providerUrn = (ref: string) =>
  ref ? ref.slice(0, ref.lastIndexOf("::")) : undefined;

/**
 * Pulumi mocks that record every registered resource with its parent, provider, region and
 * resource options, and answer with deterministic ids, ARNs and outputs. One recorder per run.
 */
export class PlanRecorder implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  readonly calls: RecordedCall[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();

  /** Installs the recorder as the mock runtime for one project and stack. */
  static async install(project: string, stack: string): Promise<PlanRecorder> {
    const recorder = new PlanRecorder();
    await pulumi.runtime.setMocks(recorder, project, stack, false);
    recorder.wrap(pulumi.runtime.getMonitor() as unknown as Monitor);
    return recorder;
  }

  private wrap(monitor: Monitor): void {
    // The mock monitor qualifies a URN's type with the nearest parent's type only; the engine uses
    // the whole chain, so a re-parented resource's URN (and identity) changes. Do as the engine does.
    monitor.newUrn = (parent, type, name) => {
      const qualifiedType = parent ? `${parent.split("::")[2]}$${type}` : type;
      return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualifiedType}::${name}`;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      this.record(monitor, req);
      return register(req, callback);
    };
  }

  private record(monitor: Monitor, req: RegisterRequest): void {
    const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
    const parent = req.getParent() || undefined;
    const inherited = parent ? this.byUrn.get(parent) : undefined;
    const inputs = plain(req.getObject()?.toJavaScript() ?? {}) as Record<
      string,
      unknown
    >;
    // Components pass their providers down to children the SDK sends without one (remote
    // components such as awsx's included); a custom resource without one uses a default provider.
    const provider =
      providerUrn(req.getProvider()) ??
      providerUrn(req.getProvidersMap().get("aws") ?? "") ??
      (req.getCustom() ? undefined : inherited?.provider);
    const isAws =
      req.getType().startsWith("aws:") ||
      req.getType() === "pulumi:providers:aws";
    // @pulumi/aws v7 resources may name their own region; otherwise it is their provider's.
    const ownRegion =
      isAws && typeof inputs.region === "string" ? inputs.region : undefined;
    const region =
      ownRegion ??
      (provider
        ? this.byUrn.get(provider)?.region
        : req.getCustom()
          ? undefined
          : inherited?.region);
    const resource: RecordedResource = {
      urn,
      type: req.getType(),
      name: req.getName(),
      parent,
      provider,
      region,
      custom: req.getCustom(),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      propertyDependencies: propertyDependencies(req),
      inputs,
    };
    this.resources.push(resource);
    this.byUrn.set(urn, resource);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string;
    state: Record<string, unknown>;
  } {
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
    const urn = providerRef ? providerUrn(providerRef) : undefined;
    return urn ? this.byUrn.get(urn)?.region : undefined;
  }

  /** Resolves once the SDK's queue of outstanding work (registrations waiting on inputs included) has drained. */
  settled(): Promise<void> {
    return waitForRPCs();
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The single resource of a type whose logical name ends with the suffix; throws otherwise. */
  one(type: string, nameSuffix = ""): RecordedResource {
    const found = this.ofType(type).filter((r) => r.name.endsWith(nameSuffix));
    if (found.length !== 1)
      throw new Error(
        `expected one ${type} named *${nameSuffix}, found ${found.map((r) => r.name).join(", ") || "none"}`,
      );
    return found[0];
  }
}
