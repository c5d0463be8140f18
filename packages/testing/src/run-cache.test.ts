import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as s3 from "@pulumi/aws/s3";
import { runProgram } from "@aws-dr/offline-plan";
import { cachedRun } from "./cached-run";
import { cachedEvaluation, RUN_CACHE_DIR } from "./run-cache";

let n = 0;
/** A key no other test uses: the memo lives as long as this worker. */
const fresh = () => ({ test: "run-cache", n: n++ });

describe("cachedEvaluation", () => {
  it("evaluates a key once and hands out a fresh copy each time", async () => {
    const key = fresh();
    let runs = 0;
    const evaluate = async () => {
      runs++;
      return { resources: [{ name: "a", inputs: { size: 1 } }] };
    };
    const first = await cachedEvaluation(key, evaluate);
    first.resources[0].inputs.size = 99;
    first.resources.pop();
    const second = await cachedEvaluation(key, evaluate);
    expect(second).toStrictEqual({
      resources: [{ name: "a", inputs: { size: 1 } }],
    });
    expect(second).not.toBe(first);
    expect(runs).toBe(1);
  });

  it("keeps undefined values and their keys, in objects and arrays", async () => {
    const key = fresh();
    const value = { parent: undefined, list: [undefined, null, 1] };
    await cachedEvaluation(key, async () => value);
    const cached = await cachedEvaluation(key, async () => ({}));
    expect(cached).toStrictEqual(value);
    expect(Object.keys(cached)).toEqual(["parent", "list"]);
  });

  it("tells keys apart by every part, object key order included", async () => {
    const a = await cachedEvaluation({ x: 1, y: 2 }, async () => "x then y");
    const b = await cachedEvaluation({ y: 2, x: 1 }, async () => "y then x");
    expect([a, b]).toEqual(["x then y", "y then x"]);
  });

  it("never caches an error: each call evaluates and throws it", async () => {
    const key = fresh();
    let runs = 0;
    const failing = async () => {
      runs++;
      throw new Error(`refused ${runs}`);
    };
    await expect(cachedEvaluation(key, failing)).rejects.toThrow("refused 1");
    await expect(cachedEvaluation(key, failing)).rejects.toThrow("refused 2");
    expect(await cachedEvaluation(key, async () => "now fine")).toBe(
      "now fine",
    );
  });

  it("does not cache what JSON cannot hold exactly", async () => {
    const key = fresh();
    let runs = 0;
    const evaluate = async () => ({ at: new Date(0), runs: ++runs });
    expect(await cachedEvaluation(key, evaluate)).toEqual({
      at: new Date(0),
      runs: 1,
    });
    expect((await cachedEvaluation(key, evaluate)).runs).toBe(2);
  });

  it("shares results across workers through the run's folder, written whole", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-cache-test-"));
    const before = process.env[RUN_CACHE_DIR];
    process.env[RUN_CACHE_DIR] = dir;
    try {
      const key = fresh();
      await cachedEvaluation(key, async () => ({ from: "this file" }));
      // Another worker: its own copy of the module, so its own (empty) memo.
      const file = require.resolve("./run-cache");
      const mine = require.cache[file];
      delete require.cache[file];
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module, as another worker has
      const other = (require("./run-cache") as typeof import("./run-cache"))
        .cachedEvaluation;
      require.cache[file] = mine;
      expect(other).not.toBe(cachedEvaluation);
      expect(
        await other(key, async () => ({ from: "the other worker" })),
      ).toEqual({ from: "this file" });
      expect(fs.readdirSync(dir).filter((f) => !f.endsWith(".json"))).toEqual(
        [],
      );
    } finally {
      if (before === undefined) delete process.env[RUN_CACHE_DIR];
      else process.env[RUN_CACHE_DIR] = before;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("cachedEvaluation in two workers", () => {
  let dir: string;
  let before: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-cache-test-"));
    before = process.env[RUN_CACHE_DIR];
    process.env[RUN_CACHE_DIR] = dir;
  });
  afterEach(() => {
    if (before === undefined) delete process.env[RUN_CACHE_DIR];
    else process.env[RUN_CACHE_DIR] = before;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  /** The claim another worker holds on the key while it evaluates it. */
  const claimOf = () =>
    path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith(".lock")) ?? "");

  it("waits for the other worker's evaluation of the same key instead of repeating it", async () => {
    const key = fresh();
    let finish: (value: string) => void = () => undefined;
    const other = cachedEvaluation(
      key,
      () => new Promise<string>((resolve) => (finish = resolve)),
    );
    let runs = 0;
    const waiting = cachedEvaluation(key, async () => `runs ${++runs}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.existsSync(claimOf())).toBe(true);
    finish("the other's");
    expect(await waiting).toBe("the other's");
    expect(await other).toBe("the other's");
    expect(runs).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => !f.endsWith(".json"))).toEqual([]);
  });

  it("evaluates for real when the other worker's evaluation fails", async () => {
    const key = fresh();
    let fail: (error: Error) => void = () => undefined;
    const other = cachedEvaluation(
      key,
      () => new Promise<string>((_resolve, reject) => (fail = reject)),
    ).catch((e: Error) => e.message);
    const waiting = cachedEvaluation(key, async () => {
      throw new Error("refused here too");
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    fail(new Error("refused there"));
    expect(await other).toBe("refused there");
    await expect(waiting).rejects.toThrow("refused here too");
  });
});

describe("cachedRun", () => {
  const program = () => {
    const bucket = new s3.Bucket("data");
    new s3.BucketVersioning("data-versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new s3.Bucket("logs");
    return { bucket: bucket.bucket };
  };

  it("records what runProgram records, read the way PlanRecorder reads it", async () => {
    const real = await runProgram(program, "aws-dr", "test", {});
    await cachedRun(program, "buckets", "aws-dr", "test", {});
    const cached = await cachedRun(program, "buckets", "aws-dr", "test", {});
    expect(cached.recorder.resources).toStrictEqual(real.recorder.resources);
    expect(cached.recorder.calls).toStrictEqual(real.recorder.calls);
    expect([cached.outputs, cached.warnings]).toStrictEqual([
      real.outputs,
      real.warnings,
    ]);
    expect(cached.recorder.ofType("aws:s3/bucket:Bucket")).toStrictEqual(
      real.recorder.ofType("aws:s3/bucket:Bucket"),
    );
    expect(cached.recorder.one("aws:s3/bucket:Bucket", "logs")).toStrictEqual(
      real.recorder.one("aws:s3/bucket:Bucket", "logs"),
    );
    const error = (f: () => unknown): string | undefined => {
      try {
        f();
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(error(() => cached.recorder.one("aws:s3/bucket:Bucket"))).toBe(
      error(() => real.recorder.one("aws:s3/bucket:Bucket")),
    );
  });
});
