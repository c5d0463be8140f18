// Every Pulumi SDK internal the offline plan engine relies on, and nowhere else: what the SDK neither
// documents nor types for programs (the mock monitor's methods, the register request's protobuf
// getters, the wire format's markers, the RPC queue, the console format of warnings without an
// engine). An SDK upgrade may change any of them without notice; sdk-internals.test.ts checks each
// against the installed SDK and names the one that changed. The rest of the engine sees plain data.
// One kind lives apart, in closure-modules.ts: the modules the SDK's closure serializer requires
// (its private folder layout), because that file runs before the SDK loads and so cannot import
// this one; closure-modules.test.ts names the module that changed.
import * as pulumi from "@pulumi/pulumi";
import type * as gstruct from "google-protobuf/google/protobuf/struct_pb";
import {
  Result,
  type RegisterResourceRequest,
} from "@pulumi/pulumi/proto/resource_pb";

// Pulumi's wire-format markers (sdk/nodejs/runtime/rpc.ts): how the SDK tags a secret, a resource
// reference and an unknown value in the inputs it sends the engine.
/** The key of an object's type signature on the wire. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The signature of a resource reference: `{ [SIG_KEY]: RESOURCE_SIG, urn, id? }`. */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** A value not known until the engine creates the resource it comes from. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The getters the engine calls on each protobuf message of a register request, by message (as
 * @pulumi/pulumi/proto holds them): the only reads of a request, in `registrationOf`,
 * `hookMockMonitor` and `answerRegistration` below.
 */
export const REQUEST_GETTERS = {
  RegisterResourceRequest: [
    "getType",
    "getName",
    "getParent",
    "getCustom",
    "getProvider",
    "getProvidersMap",
    "getObject",
    "getProtect",
    "getRetainondelete",
    "getIgnorechangesList",
    "getPropertydependenciesMap",
    "getDependenciesList",
    "getDeletebeforereplace",
    "getReplaceonchangesList",
    "getCustomtimeouts",
    "getAliasesList",
    "getAliasurnsList",
    // Read for the mocks' newResource, as the SDK's mock monitor reads them.
    "getImportid",
    "getTransformsList",
  ],
  Callback: ["getToken"],
  "RegisterResourceRequest.PropertyDependencies": ["getUrnsList"],
  "RegisterResourceRequest.CustomTimeouts": [
    "getCreate",
    "getUpdate",
    "getDelete",
  ],
  Alias: ["getUrn", "getSpec"],
  "Alias.Spec": [
    "getName",
    "getType",
    "getStack",
    "getProject",
    "getParenturn",
    "getNoparent",
  ],
} as const;

/** A register request, narrowed to the getters above: renaming one in the SDK fails type-checking here. */
type RegisterRequest = Pick<
  RegisterResourceRequest,
  (typeof REQUEST_GETTERS.RegisterResourceRequest)[number]
>;

/** An alias as the SDK sends it: an old URN, or the parts of the old URN that differ. */
export type SentAlias =
  | { urn: string }
  | {
      spec: {
        /** The old name; "" for this resource's own. */
        name: string;
        /** The old type; "" for this resource's own. */
        type: string;
        /** The old stack; "" for this one. */
        stack: string;
        /** The old project; "" for this one. */
        project: string;
        /** The old parent's URN (the SDK fills in the resource's parent when the alias names none); null when not sent. */
        parentUrn: string | null;
        /** True when the resource used to have no parent. */
        noParent: boolean;
      };
    };

/** What one register request says, read once into plain data. */
export interface Registration {
  type: string;
  name: string;
  /** The parent's URN; "" for none (the stack). */
  parent: string;
  custom: boolean;
  /** Provider reference, "<urn>::<id>"; "" for none (a default provider, or a component's). */
  provider: string;
  /** A component's providers by package: provider references, as `provider`. */
  providers: Record<string, string>;
  /** Inputs, with secrets as "[secret]", unknowns as "[unknown]" and resource references as their URN. */
  inputs: Record<string, unknown>;
  /** Undefined when the program did not set it. */
  protect: boolean | undefined;
  /** Undefined when the program did not set it. */
  retainOnDelete: boolean | undefined;
  ignoreChanges: string[];
  /** For each input, the URNs of the resources its value came from (inputs without any left out). */
  propertyDependencies: Record<string, string[]>;
  /** Every URN the resource waits for: the explicit dependsOn and every property dependency. */
  dependencies: string[];
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
  /** The SDK sends all three, "" where not set; undefined if it sends none. */
  customTimeouts:
    { create: string; update: string; delete: string } | undefined;
  aliases: SentAlias[];
}

/** Turns wire-format values into plain JSON: secrets hidden, unknowns and references readable. */
function plain(value: unknown): unknown {
  if (value === UNKNOWN_VALUE) return "[unknown]";
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

function propertyDependencies(req: RegisterRequest): Record<string, string[]> {
  const deps: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    const urns = value.getUrnsList();
    if (urns.length > 0) deps[key] = urns;
  });
  return deps;
}

function providers(req: RegisterRequest): Record<string, string> {
  const refs: Record<string, string> = {};
  req.getProvidersMap().forEach((ref, pkg) => (refs[pkg] = ref));
  return refs;
}

function aliases(req: RegisterRequest): SentAlias[] {
  // With alias specs (the mock monitor and every current CLI support them) the SDK sends
  // structured aliases; without, only the URN ones.
  const structured = req.getAliasesList().map((alias): SentAlias => {
    const spec = alias.getSpec();
    if (!spec) return { urn: alias.getUrn() };
    return {
      spec: {
        name: spec.getName(),
        type: spec.getType(),
        stack: spec.getStack(),
        project: spec.getProject(),
        parentUrn: spec.getParenturn() || null,
        noParent: spec.getNoparent(),
      },
    };
  });
  return [...structured, ...req.getAliasurnsList().map((urn) => ({ urn }))];
}

/** Reads a register request; `inputs`: its Struct's values, read once. */
function registrationOf(req: RegisterRequest, inputs: unknown): Registration {
  const timeouts = req.getCustomtimeouts();
  return {
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: req.getCustom(),
    provider: req.getProvider(),
    providers: providers(req),
    inputs: plain(inputs) as Record<string, unknown>,
    protect: req.getProtect(),
    retainOnDelete: req.getRetainondelete(),
    ignoreChanges: req.getIgnorechangesList(),
    propertyDependencies: propertyDependencies(req),
    dependencies: req.getDependenciesList(),
    deleteBeforeReplace: req.getDeletebeforereplace(),
    replaceOnChanges: req.getReplaceonchangesList(),
    customTimeouts: timeouts && {
      create: timeouts.getCreate(),
      update: timeouts.getUpdate(),
      delete: timeouts.getDelete(),
    },
    aliases: aliases(req),
  };
}

/**
 * The mock monitor's methods and state the engine uses (sdk/nodejs/runtime/mocks.ts, MockMonitor;
 * private in the SDK's typings but for the two methods).
 */
export interface MockMonitor {
  /** Computes the URN the mock monitor answers a registration with. */
  newUrn(parent: string, type: string, name: string): string;
  /** Called by the SDK, looked up on the monitor for every registration. */
  registerResource(
    req: RegisterRequest,
    callback: (err: unknown, resp: unknown) => void,
  ): Promise<void>;
  /** The mocks setMocks was given. */
  mocks: pulumi.runtime.Mocks;
  /** Each registered resource's URN, id and state, for the getResource invoke. */
  resources: Map<
    string,
    { urn: string; id: string | null; state: Record<string, unknown> }
  >;
  /** The program's resource transforms by callback token. */
  transformCallbacks: Map<string, pulumi.ResourceTransform>;
}

/**
 * The response getters the SDK reads after a registration (sdk/nodejs/runtime/resource.ts,
 * registerResource): all a response needs, and what `answer` below gives.
 */
export const RESPONSE_GETTERS = [
  "getUrn",
  "getId",
  "getObject",
  "getPropertydependenciesMap",
  "getResult",
  "getUnknown",
] as const;

/** Values read out of a protobuf Struct, as what the SDK reads them with (toJavaScript). */
const valuesAsStruct = (values: Record<string, unknown>) =>
  ({ toJavaScript: () => values }) as unknown as gstruct.Struct;

/**
 * A value as a protobuf Struct holding it reads back: each object's keys in sorted order, at every
 * level (Struct.toJavaScript walks its fields map, which iterates its keys sorted). The engine's
 * answers, and the SDK's mock monitor's, come back so; the program sees the order in an output's
 * Object.keys, its JSON and the order its applies run in. Read as Struct.fromJavaScript reads a
 * value: a list is anything `instanceof Array`, an object's keys are those `for...in` visits (a
 * "__proto__" key's value is the object's prototype), and each is set by assignment.
 */
function asReadBack(value: unknown): unknown {
  if (value instanceof Array) return Array.from(value, asReadBack);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  const keys: string[] = [];
  for (const key in object) keys.push(key);
  const read: Record<string, unknown> = {};
  for (const key of keys.sort()) read[key] = asReadBack(object[key]);
  return read;
}

/**
 * A register response holding the state as the plain values the SDK reads out of a protobuf
 * Struct (`getObject().toJavaScript()`, asReadBack), so that no Struct is built and read back for
 * it. Its toString is short: the SDK formats every response into a debug log line, and a protobuf
 * message stringifies all of its fields.
 */
function answer(urn: string, id: string, state: Record<string, unknown>) {
  return {
    getUrn: () => urn,
    getId: () => id,
    getObject: () =>
      valuesAsStruct(asReadBack(state) as Record<string, unknown>),
    getPropertydependenciesMap: () => undefined,
    getResult: () => Result.SUCCESS,
    getUnknown: () => false,
    toString: () => `RegisterResourceResponse(${urn})`,
  } satisfies Record<(typeof RESPONSE_GETTERS)[number] | "toString", unknown>;
}

/** The monitor setMocks installed, with the methods the engine replaces. */
export function mockMonitor(): MockMonitor {
  // getMonitor is typed as the gRPC client; after setMocks it is the SDK's MockMonitor.
  return pulumi.runtime.getMonitor() as unknown as MockMonitor;
}

/**
 * Hooks the mock monitor that setMocks installed: it answers with the URNs `newUrn` computes (so the
 * program sees them), and every registration is passed to `onRegister` before the mocks'
 * newResource answers it.
 *
 * The registration is the mock monitor's own (MockMonitor.registerResource), less two protobuf
 * round trips: the request's inputs are read out of their Struct once, for `onRegister` and the
 * mocks alike, and the answer holds the state as the values the SDK would read back out of a
 * Struct (`answer`). Turning every state into a Struct and back, and formatting each response
 * into a debug line, was about a tenth of every offline run.
 */
export function hookMockMonitor(hooks: {
  newUrn(parent: string, type: string, name: string): string;
  onRegister(registration: Registration): void;
}): void {
  const monitor = mockMonitor();
  monitor.newUrn = hooks.newUrn;
  monitor.registerResource = (req, callback) => {
    const inputs: Record<string, unknown> =
      req.getObject()?.toJavaScript() ?? {};
    // Synchronously, as before the mock monitor's own registration: an error of the hook's
    // rejects the SDK's registration as it is, without the SDK's "failed to register" prefix.
    hooks.onRegister(registrationOf(req, inputs));
    return answerRegistration(monitor, req, inputs, callback);
  };
}

/** The mock monitor's answer to a registration (MockMonitor.registerResource), `inputs` read. */
async function answerRegistration(
  monitor: MockMonitor,
  req: RegisterRequest,
  inputs: Record<string, unknown>,
  callback: (err: unknown, resp: unknown) => void,
): Promise<void> {
  try {
    const transforms = req
      .getTransformsList()
      .map((cb) => monitor.transformCallbacks.get(cb.getToken()))
      .filter((transform) => transform !== undefined);
    const result = await monitor.mocks.newResource({
      type: req.getType(),
      name: req.getName(),
      inputs: pulumi.runtime.deserializeProperties(valuesAsStruct(inputs)),
      provider: req.getProvider(),
      custom: req.getCustom(),
      id: req.getImportid(),
      transforms,
    });
    const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
    const state = await pulumi.runtime.serializeProperties("", result.state);
    monitor.resources.set(urn, { urn, id: result.id ?? null, state });
    callback(null, answer(urn, result.id || "", state));
  } catch (err) {
    callback(err, undefined);
  }
}

/** The URN in a provider reference ("<urn>::<id>", as the SDK sends it); undefined for none (""). */
export function providerRefUrn(ref: string | undefined): string | undefined {
  return ref ? ref.slice(0, ref.lastIndexOf("::")) : undefined;
}

/** The SDK's settings module: waitForRPCs is internal, hence not in its typings. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal, not in the SDK's typings
const settings = require("@pulumi/pulumi/runtime/settings") as {
  waitForRPCs: () => Promise<void>;
};

/**
 * Resolves once the SDK's queue of outstanding work (registrations waiting on inputs included) has
 * drained: the SDK's own wait at the end of a program.
 */
export function waitForRPCs(): Promise<void> {
  return settings.waitForRPCs();
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal, not in the SDK's typings
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
};

/**
 * Turns the SDK's promise leak tracking off; the function returned turns it back on. For every
 * promise it makes the SDK records a stack and a set entry, for a report printed at process exit
 * when a `pulumi up` leaks one. An offline run settles every registration before it returns
 * (waitForRPCs) and prints no such report; the tracking was a fifth of each run's time. The SDK
 * calls it through its module's export, so the swap reaches every call.
 */
export function promiseLeakTrackingOff(): () => void {
  const tracked = debuggable.debuggablePromise;
  debuggable.debuggablePromise = (p) => p;
  return () => {
    debuggable.debuggablePromise = tracked;
  };
}

/** How pulumi.log.warn writes to the console when no engine is connected (sdk/nodejs/log). */
export const RUNTIME_WARNING_PREFIX = "warning: [runtime] ";

/** The message of a console line pulumi.log.warn wrote without an engine; undefined for any other line. */
export function runtimeWarning(line: string): string | undefined {
  return line.startsWith(RUNTIME_WARNING_PREFIX)
    ? line.slice(RUNTIME_WARNING_PREFIX.length)
    : undefined;
}
