// Fails, naming the internal, when an SDK upgrade changes or removes one the engine relies on: run
// it first after bumping @pulumi/pulumi.
import * as pulumi from "@pulumi/pulumi";
import * as aliasProto from "@pulumi/pulumi/proto/alias_pb";
import * as callbackProto from "@pulumi/pulumi/proto/callback_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import * as resourceRuntime from "@pulumi/pulumi/runtime/resource";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import {
  hookMockMonitor,
  mockMonitor,
  providerRefUrn,
  REQUEST_GETTERS,
  RESOURCE_SIG,
  RESPONSE_GETTERS,
  RUNTIME_WARNING_PREFIX,
  runtimeWarning,
  SECRET_SIG,
  SIG_KEY,
  UNKNOWN_VALUE,
  waitForRPCs,
  promiseLeakTrackingOff,
  type Registration,
} from "./sdk-internals";

// The SDK's resource classes are abstract: one concrete class of each kind.
class Thing extends pulumi.CustomResource {
  constructor(
    name: string,
    props: pulumi.Inputs = {},
    opts?: pulumi.CustomResourceOptions,
  ) {
    super("test:index:Thing", name, props, opts);
  }
}
class Box extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Box", name);
  }
}
class TestProvider extends pulumi.ProviderResource {
  constructor(name: string) {
    super("test", name);
  }
}

/** Mocks that answer every registration with `<name>-id` and its inputs. */
const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
  call: () => ({}),
};

/** Installs the mock runtime with the engine's hook, collecting registrations. */
async function hooked(): Promise<Registration[]> {
  await pulumi.runtime.setMocks(mocks, "project", "stack", false);
  const registrations: Registration[] = [];
  hookMockMonitor({
    newUrn: (parent, type, name) =>
      `urn:pulumi:stack::project::${parent ? "child$" : ""}${type}::${name}`,
    onRegister: (registration) => registrations.push(registration),
  });
  return registrations;
}

const resolved = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((resolve) => output.apply(resolve));

/** The protobuf message classes, looked up by the dotted names REQUEST_GETTERS uses. */
function messageClass(message: string): { prototype: object } | undefined {
  const module: Record<string, unknown> = message.startsWith("Alias")
    ? aliasProto
    : message === "Callback"
      ? callbackProto
      : resourceProto;
  return message
    .split(".")
    .reduce<unknown>(
      (scope, key) => (scope as Record<string, unknown> | undefined)?.[key],
      module,
    ) as { prototype: object } | undefined;
}

describe("the register request's protobuf getters (@pulumi/pulumi/proto)", () => {
  const getters = Object.entries(REQUEST_GETTERS).flatMap(([message, names]) =>
    names.map((getter) => [`${message}.${getter}`, message, getter]),
  );

  it.each(getters)("%s exists", (_, message, getter) => {
    const proto = messageClass(message)?.prototype as
      Record<string, unknown> | undefined;
    expect(proto).toBeDefined();
    // Called without arguments (a map getter's only parameter is optional).
    expect(typeof proto?.[getter]).toBe("function");
  });
});

describe("the wire format's markers (@pulumi/pulumi/runtime/rpc)", () => {
  it.each([
    ["SIG_KEY", SIG_KEY, rpc.specialSigKey],
    ["SECRET_SIG", SECRET_SIG, rpc.specialSecretSig],
    ["RESOURCE_SIG", RESOURCE_SIG, rpc.specialResourceSig],
    ["UNKNOWN_VALUE", UNKNOWN_VALUE, rpc.unknownValue],
  ])("%s is the SDK's own", (_, ours, sdks) => {
    expect(ours).toBe(sdks);
  });

  it("decodes secrets and resource references in the inputs the SDK sends", async () => {
    const registrations = await hooked();
    const target = new Thing("target");
    new Thing("holder", {
      token: pulumi.secret("hunter2"),
      ref: target,
    });
    await waitForRPCs();
    expect(registrations.find((r) => r.name === "holder")?.inputs).toEqual({
      token: "[secret]",
      ref: "urn:pulumi:stack::project::test:index:Thing::target",
    });
  });
});

describe("waitForRPCs (@pulumi/pulumi/runtime/settings, internal)", () => {
  it("is still exported as a function of no arguments", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal, not in the SDK's typings
    const settings = require("@pulumi/pulumi/runtime/settings") as Record<
      string,
      unknown
    >;
    expect(typeof settings.waitForRPCs).toBe("function");
    expect((settings.waitForRPCs as () => unknown).length).toBe(0);
  });

  it("waits for a registration whose inputs resolve late", async () => {
    const registrations = await hooked();
    const late = new Promise<string>((resolve) =>
      setTimeout(() => resolve("late"), 20),
    );
    new Thing("slow", { value: late });
    await waitForRPCs();
    expect(registrations.map((r) => r.inputs)).toEqual([{ value: "late" }]);
  });
});

describe("debuggablePromise (@pulumi/pulumi/runtime/debuggable, internal)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal, not in the SDK's typings
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
  };

  it("is what the SDK wraps a registration's promises in, called through its module's export", async () => {
    const tracked = debuggable.debuggablePromise;
    let calls = 0;
    debuggable.debuggablePromise = (p, ctx) => {
      calls++;
      return tracked(p, ctx);
    };
    try {
      await hooked();
      new Thing("counted", { value: "x" });
      await waitForRPCs();
    } finally {
      debuggable.debuggablePromise = tracked;
    }
    expect(calls).toBeGreaterThan(0);
  });

  it("is off after promiseLeakTrackingOff, and back once its function is called", () => {
    const tracked = debuggable.debuggablePromise;
    const putBack = promiseLeakTrackingOff();
    const p = Promise.resolve(1);
    expect(debuggable.debuggablePromise(p, "ctx")).toBe(p);
    putBack();
    expect(debuggable.debuggablePromise).toBe(tracked);
  });
});

describe("the mock monitor (@pulumi/pulumi/runtime/mocks, MockMonitor)", () => {
  it("has newUrn(parent, type, name) and registerResource(req, callback)", async () => {
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    const monitor = mockMonitor();
    expect(typeof monitor.newUrn).toBe("function");
    expect(monitor.newUrn.length).toBe(3);
    expect(typeof monitor.registerResource).toBe("function");
    expect(monitor.registerResource.length).toBe(2);
  });

  it("is called through registerResource for every registration, and answers with newUrn's URN", async () => {
    const registrations = await hooked();
    const parent = new Box("box");
    const thing = new Thing("thing", { size: 1 }, { parent });
    await waitForRPCs();
    expect(registrations.map(({ type, name }) => [type, name])).toEqual([
      ["test:index:Box", "box"],
      ["test:index:Thing", "thing"],
    ]);
    expect(registrations[1]).toMatchObject({
      custom: true,
      parent: "urn:pulumi:stack::project::test:index:Box::box",
      inputs: { size: 1 },
    });
    expect(await resolved(thing.urn)).toBe(
      "urn:pulumi:stack::project::child$test:index:Thing::thing",
    );
  });

  it("holds the mocks, the registered resources and the transforms the engine's registration uses", async () => {
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    const monitor = mockMonitor();
    expect(monitor.mocks).toBe(mocks);
    expect(monitor.resources).toBeInstanceOf(Map);
    expect(monitor.transformCallbacks).toBeInstanceOf(Map);
  });

  it("reads only the request getters the engine lists (MockMonitor.registerResource)", () => {
    const source = (
      mockMonitor().constructor.prototype as { registerResource: () => void }
    ).registerResource.toString();
    const read = new Set(
      [...source.matchAll(/\breq\s*\.\s*(get\w+)\(/g)].map((m) => m[1]),
    );
    expect(
      [...read].filter(
        (getter) =>
          !REQUEST_GETTERS.RegisterResourceRequest.includes(getter as never),
      ),
    ).toEqual([]);
  });

  it("gives the SDK a response with every getter it reads of one (runtime/resource.js, registerResource)", () => {
    const source = resourceRuntime.registerResource.toString();
    const read = new Set(
      [...source.matchAll(/\bresp\.(get\w+)\(/g)].map((m) => m[1]),
    );
    expect([...read].sort()).toEqual([...RESPONSE_GETTERS].sort());
    for (const getter of RESPONSE_GETTERS)
      expect(
        typeof (
          resourceProto.RegisterResourceResponse.prototype as unknown as Record<
            string,
            unknown
          >
        )[getter],
      ).toBe("function");
  });

  /**
   * A program's registrations under `install`: what the mocks were asked, and what the program saw
   * (JSON, so in key order: a Struct reads objects back with their keys sorted), in the order its
   * applies ran; and what the mock monitor holds. Mocks answering with keys out of order, extra
   * outputs, no id for "noid", and nothing for an output ("later", unknown in a preview).
   */
  async function observe(
    install: (mocks: pulumi.runtime.Mocks) => Promise<void>,
  ): Promise<string> {
    const asked: unknown[] = [];
    const mocks: pulumi.runtime.Mocks = {
      newResource: ({ transforms, ...args }) => {
        asked.push({ ...args, transforms: transforms?.length ?? 0 });
        return {
          id: args.name === "noid" ? undefined : `${args.name}-id`,
          state: {
            ...args.inputs,
            zeta: { b: 1, a: [{ y: 1, x: 2 }] },
            alpha: [args.name],
          },
        };
      },
      call: () => ({}),
    };
    await install(mocks);
    const provider = new TestProvider("p");
    const parent = new Box("box");
    const source = new Thing(
      "source",
      { size: 1, later: undefined },
      { provider, parent },
    );
    const output = (resource: Thing, key: string) =>
      (resource as unknown as Record<string, pulumi.Output<unknown>>)[key];
    const user = new Thing(
      "user",
      {
        from: source.id,
        later: output(source, "later"),
        token: pulumi.secret("hunter2"),
        ref: source,
        list: [1, null, "two", { deep: [true], b: 0, a: -0 }],
        // Unknown in an update too (the SDK hands the mocks no marker for it there).
        never: pulumi.unknown,
        zeta: undefined,
        alpha: undefined,
      },
      { transforms: [(args) => ({ props: args.props, opts: args.opts })] },
    );
    const noid = new Thing("noid", { size: 2 });
    const applied: string[] = [];
    const keys = ["from", "later", "list", "zeta", "alpha"];
    for (const key of keys)
      output(user, key).apply((value) =>
        applied.push(`${key}=${JSON.stringify(value)}`),
      );
    await waitForRPCs();
    // Each output's value, an unknown one as the SDK's unknown marker (the SDK's own read of an
    // output: apply runs on known values only).
    const valueOf = (value: pulumi.Output<unknown>) =>
      (
        value as unknown as { promise(withUnknowns: boolean): Promise<unknown> }
      ).promise(true);
    const seen = await Promise.all(
      [
        user.urn,
        user.id,
        noid.id,
        ...keys.map((key) => output(user, key)),
        pulumi.unsecret(output(user, "token")),
        output(source, "size"),
      ].map(valueOf),
    );
    const secret = await pulumi.isSecret(output(user, "token"));
    return JSON.stringify({
      asked,
      seen,
      secret,
      applied,
      held: [...mockMonitor().resources.entries()],
    });
  }
  const urn = (parent: string, type: string, name: string) =>
    `urn:pulumi:stack::project::${parent ? "child$" : ""}${type}::${name}`;

  it.each([
    ["an update", false],
    ["a preview", true],
  ])(
    "answers as the SDK's own mock monitor does in %s: the mocks' arguments, the outputs in their key order, the resources it holds",
    async (_case, preview) => {
      const sdks = await observe(async (mocks) => {
        await pulumi.runtime.setMocks(mocks, "project", "stack", preview);
        mockMonitor().newUrn = urn;
      });
      const ours = await observe(async (mocks) => {
        await pulumi.runtime.setMocks(mocks, "project", "stack", preview);
        hookMockMonitor({ newUrn: urn, onRegister: () => undefined });
      });
      expect(JSON.parse(sdks)).toMatchObject({
        applied: expect.arrayContaining([
          expect.stringMatching(/^zeta=\{"a":/),
        ]),
      });
      expect(ours).toBe(sdks);
    },
  );

  it("rejects a registration with the error the engine's hook throws, as it is (no SDK prefix)", async () => {
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    const refused = new Error("the recorder refused it");
    hookMockMonitor({
      newUrn: (_parent, type, name) =>
        `urn:pulumi:stack::project::${type}::${name}`,
      onRegister: () => {
        throw refused;
      },
    });
    // The SDK's own promises of the registration reject with it too, unread (a real run's runtime
    // reports them): collected here rather than left to end the worker.
    const unread: unknown[] = [];
    const collect = (reason: unknown) => unread.push(reason);
    process.on("unhandledRejection", collect);
    try {
      const thing = new Thing("thing");
      const [urn, id] = [thing.urn, thing.id].map((output) =>
        (output as unknown as { promise(): Promise<string> }).promise(),
      );
      await expect(urn).rejects.toBe(refused);
      await expect(id).rejects.toBe(refused);
      await waitForRPCs();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unread.filter((reason) => reason !== refused)).toEqual([]);
    } finally {
      process.off("unhandledRejection", collect);
    }
  });

  it("receives provider references as <urn>::<id>", async () => {
    const registrations = await hooked();
    const provider = new TestProvider("p");
    new Thing("thing", {}, { provider });
    await waitForRPCs();
    const ref = registrations.find((r) => r.name === "thing")?.provider;
    expect(ref).toBe(
      "urn:pulumi:stack::project::pulumi:providers:test::p::p-id",
    );
    expect(providerRefUrn(ref)).toBe(
      "urn:pulumi:stack::project::pulumi:providers:test::p",
    );
  });

  it("receives an input's sources among the request's dependencies, as well as in its property dependencies", async () => {
    const registrations = await hooked();
    const source = new Thing("source");
    new Thing("user", { from: source.id });
    await waitForRPCs();
    const sourceUrn = "urn:pulumi:stack::project::test:index:Thing::source";
    expect(registrations.find((r) => r.name === "user")).toMatchObject({
      propertyDependencies: { from: [sourceUrn] },
      dependencies: [sourceUrn],
    });
  });
});

describe("pulumi.log.warn without an engine (@pulumi/pulumi/log)", () => {
  it(`writes "${RUNTIME_WARNING_PREFIX}<message>" to console.warn`, async () => {
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    const warn = jest.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await pulumi.log.warn("careful");
      expect(warn).toHaveBeenCalledWith(`${RUNTIME_WARNING_PREFIX}careful`);
      expect(runtimeWarning(String(warn.mock.calls[0][0]))).toBe("careful");
    } finally {
      warn.mockRestore();
    }
  });
});
