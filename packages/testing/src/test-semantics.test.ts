import * as path from "node:path";
import {
  TEST_TIMEOUT_MS,
  timed,
  wrapHook,
  wrapTest,
  type Block,
  type Entry,
  type Hook,
} from "./test-semantics";

// The hook-up itself: jest-setup.js wraps each test and hook of the light runner's jest-circus as
// it is added, so this file's own ones are wrapped by the time the file has loaded.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the runner's own copy, by path
const circus = require(
  require.resolve("jest-circus", {
    paths: [path.dirname(require.resolve("jest-light-runner"))],
  }),
) as {
  getState(): {
    currentDescribeBlock: {
      children: { fn?: unknown }[];
      hooks: { fn?: unknown }[];
    };
  };
};
/** Whether they were, read while the block below is collected; and whether they then ran. */
const wrapped = { test: false, hook: false };
const ran = { test: false, hook: false };
const ownTest = async () => void (ran.test = true);
const ownHook = async () => void (ran.hook = true);
describe("jest-setup.js", () => {
  beforeAll(ownHook);
  it(
    "runs a wrapped test and hook as themselves (the probes read below)",
    ownTest,
  );
  const block = circus.getState().currentDescribeBlock;
  wrapped.test = block.children.at(-1)?.fn !== ownTest;
  wrapped.hook = block.hooks.at(-1)?.fn !== ownHook;
  it("wraps each test and hook as the runner adds it (this file's own, above)", () => {
    expect({ wrapped, ran }).toEqual({
      wrapped: { test: true, hook: true },
      ran: { test: true, hook: true },
    });
  });
});

/** A test as jest-circus adds it, wrapped as jest-setup.js wraps it. */
function added(parent: Block, fn: Entry["fn"], timeout?: number): Entry {
  const test: Entry = { fn, parent, timeout };
  wrapTest(test);
  return test;
}
function hook(parent: Block, type: Hook["type"], fn: Hook["fn"]): Hook {
  const h: Hook = { fn, parent, type };
  wrapHook(h);
  return h;
}
const never = () => new Promise(() => {});
const boom = () => {
  throw new Error("boom");
};
const run = async (entry: Entry) => {
  try {
    return { value: await entry.fn.call(undefined) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe("timeouts", () => {
  it("fail a test or hook that outlasts its own timeout, naming it, and pass one that ends in time", async () => {
    await expect(timed(never, 20, "test").call(undefined)).rejects.toThrow(
      "Exceeded timeout of 20 ms for a test.",
    );
    const slowHook: Hook = {
      fn: never,
      parent: {},
      type: "afterAll",
      timeout: 20,
    };
    wrapHook(slowHook);
    expect(await run(slowHook)).toEqual({
      error: "Exceeded timeout of 20 ms for a hook.",
    });
    expect(await run(added({}, never, 20))).toEqual({
      error: "Exceeded timeout of 20 ms for a test.",
    });
    expect(await run(added({}, async () => "done", 20))).toEqual({
      value: "done",
    });
  });

  it("default to 30 s, jest's own 5 s being luck on a loaded machine", async () => {
    jest.useFakeTimers();
    try {
      const pending = run(added({}, never));
      await Promise.resolve();
      jest.advanceTimersByTime(TEST_TIMEOUT_MS - 1);
      let settled = false;
      void pending.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      jest.advanceTimersByTime(1);
      expect(await pending).toEqual({
        error: "Exceeded timeout of 30000 ms for a test.",
      });
    } finally {
      jest.useRealTimers();
    }
    expect(TEST_TIMEOUT_MS).toBe(30_000);
  });

  it("run the test with the runner's this, and leave a callback-style (done) test as it is", async () => {
    const self = { name: "context" };
    const test = added({}, function (this: unknown) {
      return this;
    });
    expect(await test.fn.call(self)).toBe(self);
    const withDone = (done: () => void) => done();
    const entry: Entry = { fn: withDone as Entry["fn"], parent: {} };
    wrapTest(entry);
    expect(entry.fn).toBe(withDone);
  });
});

describe("a failed setup hook", () => {
  it("beforeAll: fails every later test of its block and nested blocks, not a sibling block's", async () => {
    const block: Block = {};
    const nested: Block = { parent: block };
    const sibling: Block = {};
    const setup = hook(block, "beforeAll", boom);
    expect(await run(setup)).toEqual({ error: "boom" });
    const ran: string[] = [];
    const note = (name: string) => async () => void ran.push(name);
    const notRun = { error: "not run: its beforeAll hook failed (boom)" };
    expect(await run(added(block, note("first")))).toEqual(notRun);
    expect(await run(added(block, note("second")))).toEqual(notRun);
    expect(await run(added(nested, note("nested")))).toEqual(notRun);
    expect(await run(added(sibling, note("sibling")))).toEqual({
      value: undefined,
    });
    expect(ran).toEqual(["sibling"]);
  });

  it("beforeEach: fails the test it ran for; the next test runs once the hook passes", async () => {
    const block: Block = {};
    let fail = true;
    const each = hook(block, "beforeEach", () => {
      if (fail) throw new Error("no table");
    });
    expect(await run(each)).toEqual({ error: "no table" });
    expect(await run(added(block, async () => "a"))).toEqual({
      error: "not run: its beforeEach hook failed (no table)",
    });
    fail = false;
    expect(await run(each)).toEqual({ value: undefined });
    expect(await run(added(block, async () => "b"))).toEqual({ value: "b" });
  });

  it("afterAll or afterEach: fails itself only", async () => {
    const block: Block = {};
    expect(await run(hook(block, "afterEach", boom))).toEqual({
      error: "boom",
    });
    expect(await run(hook(block, "afterAll", boom))).toEqual({ error: "boom" });
    expect(await run(added(block, async () => "ran"))).toEqual({
      value: "ran",
    });
  });
});
