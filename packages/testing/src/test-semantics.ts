// What the light runner leaves out of jest's test semantics, put back by jest-setup.js through the
// runner's own jest-circus, on every it/test/hook as it is added (each, only and skip included):
// - a timeout for each test and hook: the one it names or TEST_TIMEOUT_MS. A test that times out
//   fails; what it started runs on, as under jest.
// - a failed beforeAll fails every test of its describe block, and a failed beforeEach the test it
//   ran for, instead of their running without their setup.
// A test or hook runs whole Pulumi programs (each ~0.2 s warm); on a loaded machine, with the
// other projects' tests beside it, jest's default 5 s would be a matter of luck, not of the code.
export const TEST_TIMEOUT_MS = 30_000;

/** A describe block as jest-circus holds it: only the link this module follows. */
export interface Block {
  parent?: Block;
}
type Fn = (this: unknown) => unknown;
/** A test or hook as jest-circus holds it, with the fields read here. */
export interface Entry {
  fn: Fn;
  timeout?: number;
  parent: Block;
}
export interface Hook extends Entry {
  type: "beforeAll" | "beforeEach" | "afterAll" | "afterEach";
}

/** `fn` failing after `ms`, as jest's timeout does. */
export const timed = (fn: Fn, ms: number, what: string): Fn =>
  function (this: unknown) {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      Promise.resolve().then(() => fn.call(this)),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`Exceeded timeout of ${ms} ms for a ${what}.`)),
          ms,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  };

/** The failed setup hooks of a describe block and its ancestors, by the hooks' blocks. */
const failedSetup = new WeakMap<Block, { type: string; error: unknown }>();

export function wrapHook(hook: Hook): void {
  // A callback-style function (it takes `done`) is left to the runner as it is.
  if (hook.fn.length > 0) return;
  const run = timed(hook.fn, hook.timeout ?? TEST_TIMEOUT_MS, "hook");
  hook.fn = async function (this: unknown) {
    try {
      return await run.call(this);
    } catch (error) {
      if (hook.type === "beforeAll" || hook.type === "beforeEach")
        failedSetup.set(hook.parent, { type: hook.type, error });
      throw error;
    }
  };
}

export function wrapTest(test: Entry): void {
  if (test.fn.length > 0) return;
  const run = timed(test.fn, test.timeout ?? TEST_TIMEOUT_MS, "test");
  test.fn = function (this: unknown) {
    for (
      let block: Block | undefined = test.parent;
      block;
      block = block.parent
    ) {
      const failed = failedSetup.get(block);
      if (!failed) continue;
      // A beforeEach runs again for the next test.
      if (failed.type === "beforeEach") failedSetup.delete(block);
      const reason =
        (failed.error as { message?: unknown } | undefined)?.message ??
        failed.error;
      throw new Error(`not run: its ${failed.type} hook failed (${reason})`);
    }
    return run.call(this);
  };
}
