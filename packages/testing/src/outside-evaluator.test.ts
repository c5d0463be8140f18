import { parseArgs } from "node:util";
import { encodeExactly } from "./exact-json";
import { cachedEvaluation } from "./run-cache";
import {
  EVALUATE_OUTSIDE,
  evaluateOutside,
  outsideEvaluator,
  type Evaluator,
} from "./outside-evaluator";

let n = 0;
/** A key no other test uses: the memo lives as long as this file. */
const fresh = () => ({ test: "outside-evaluator", n: n++ });

const slot = globalThis as Record<string, unknown>;

/** Runs `body` with `evaluator` as the worker's outside evaluator, as jest-environment.js sets it. */
async function withEvaluator<T>(
  evaluator: Evaluator,
  body: () => Promise<T>,
): Promise<T> {
  slot[EVALUATE_OUTSIDE] = evaluator;
  try {
    return await body();
  } finally {
    delete slot[EVALUATE_OUTSIDE];
  }
}

describe("outsideEvaluator", () => {
  const evaluate = outsideEvaluator({
    sum: async (a: number, b: number) => ({ sum: a + b, none: undefined }),
    date: async () => new Date(0),
  });

  it("runs the named entry on the decoded arguments and returns its result's JSON", async () => {
    expect(await evaluate("sum", "[1,2]")).toBe(
      JSON.stringify({ sum: 3, none: "\u0000undefined\u0000" }),
    );
  });

  it("answers undefined for an entry it does not have, or a result JSON cannot hold", async () => {
    expect(await evaluate("product", "[1,2]")).toBeUndefined();
    expect(await evaluate("toString", "[]")).toBeUndefined();
    expect(await evaluate("date", "[]")).toBeUndefined();
  });
});

describe("cachedEvaluation with an outside evaluation", () => {
  it("takes the worker's evaluator's result and never evaluates in the file", async () => {
    const asked: [string, string][] = [];
    const outside: Evaluator = async (entry, args) => {
      asked.push([entry, args]);
      return JSON.stringify({ from: "outside" });
    };
    let inFile = 0;
    const result = await withEvaluator(outside, () =>
      cachedEvaluation(
        fresh(),
        async () => ({ from: `the file ${++inFile}` }),
        { entry: "plan", args: ["prod", undefined] },
      ),
    );
    expect(result).toEqual({ from: "outside" });
    expect(inFile).toBe(0);
    expect(asked).toEqual([
      ["plan", JSON.stringify(["prod", "\u0000undefined\u0000"])],
    ]);
  });

  it("evaluates in the file when the evaluator fails, so the error is thrown there", async () => {
    const failing: Evaluator = async () => {
      throw new Error("refused outside");
    };
    await expect(
      withEvaluator(failing, () =>
        cachedEvaluation(
          fresh(),
          async () => {
            throw new Error("refused in the file");
          },
          { entry: "plan", args: [] },
        ),
      ),
    ).rejects.toThrow("refused in the file");
  });

  it("evaluates in the file when the evaluator does not know the entry, or the run has none", async () => {
    const unknown: Evaluator = async () => undefined;
    expect(
      await withEvaluator(unknown, () =>
        cachedEvaluation(fresh(), async () => "in the file", {
          entry: "other program",
          args: [],
        }),
      ),
    ).toBe("in the file");
    expect(await evaluateOutside({ entry: "plan", args: [] })).toBeUndefined();
  });
});

describe("the test environment", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the environment is plain JavaScript, loaded by jest
  const environment = require("../jest-environment.js") as {
    EVALUATE_OUTSIDE: string;
  };

  it("puts the evaluator where the run cache looks for it", () => {
    expect(environment.EVALUATE_OUTSIDE).toBe(EVALUATE_OUTSIDE);
  });
});

describe("exact JSON", () => {
  it("holds plain data of any realm, and nothing JSON would change", () => {
    // node:util's parseArgs makes its arrays in Node's own realm, not this test file's.
    const { values } = parseArgs({
      args: ["--config", "dr:failover=true"],
      options: { config: { type: "string", multiple: true } },
    });
    expect(Object.getPrototypeOf(values.config)).not.toBe(Array.prototype);
    expect(encodeExactly(["staging", values.config, undefined])).toBe(
      JSON.stringify([
        "staging",
        ["dr:failover=true"],
        "\u0000undefined\u0000",
      ]),
    );
    for (const inexact of [
      [new Date(0)],
      { n: NaN },
      { z: -0 },
      // eslint-disable-next-line no-sparse-arrays -- a hole, which JSON turns into null
      [1, , 2],
      { f: () => 1 },
      new (class Point {
        x = 1;
      })(),
      { [Symbol("s")]: 1 },
    ])
      expect(encodeExactly(inexact)).toBeUndefined();
  });
});
