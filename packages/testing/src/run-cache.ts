// A cache of evaluations for one test run. The program is deterministic, and the test files
// evaluate the same states over and over (the same stack and config in many tests and files); each
// evaluation costs ~0.2-0.5 s. The first evaluation of a state, in any test file or jest worker,
// writes its result to this run's cache directory, which the jest global setup
// (jest-global-setup.js) makes fresh for every run and removes at the end; later ones read it.
// Without that directory (a config without the global setup) results are shared within a worker.
//
// Only successful evaluations are cached: an error is always thrown by a real evaluation. Every
// result is handed out as a fresh copy (tests spoil plans on purpose). A result that JSON cannot
// hold exactly (a class instance, a Date, NaN, ...) is not cached at all.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";

/** The environment variable naming this run's cache directory, set by the jest global setup. */
export const RUN_CACHE_DIR = "AWS_DR_RUN_CACHE";
/** When set, a file to which every cached evaluation appends a line: hit or miss, key, time. */
export const RUN_CACHE_LOG = "AWS_DR_RUN_CACHE_LOG";

// Stands in for `undefined`, which JSON drops from objects (a resource's absent parent, an output
// that is undefined) and turns into null in arrays.
const UNDEFINED = "\u0000undefined\u0000";

const encode = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v === undefined ? UNDEFINED : v,
  );

function restoreUndefined(value: unknown): unknown {
  if (value === UNDEFINED) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      value[i] = restoreUndefined(value[i]);
  } else if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object))
      object[key] = restoreUndefined(object[key]);
  }
  return value;
}

/** A fresh copy of an encoded result. */
const decode = (text: string): unknown =>
  restoreUndefined(JSON.parse(text) as unknown);

/** This worker's results by key: the test files of a worker share this module (jest.preset.js). */
const memo = new Map<string, string>();

function fileOf(id: string): string | undefined {
  const dir = process.env[RUN_CACHE_DIR];
  return dir ? path.join(dir, `${id}.json`) : undefined;
}

function readShared(id: string): string | undefined {
  const file = fileOf(id);
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Claims a key's evaluation for this process: true when no other worker evaluates it now. A claim
 * is a file next to the result's, made exclusively and removed once the evaluation is over.
 */
function claim(id: string): boolean {
  const file = fileOf(id);
  if (!file) return true;
  try {
    fs.closeSync(fs.openSync(`${file}.lock`, "wx"));
    return true;
  } catch {
    return false;
  }
}

function release(id: string): void {
  const file = fileOf(id);
  if (file) fs.rmSync(`${file}.lock`, { force: true });
}

/** How long a worker waits for another's evaluation of the same key before doing it itself. */
const CLAIM_WAIT_MS = 30_000;

/**
 * Waits while another worker evaluates the key: its result, or undefined once its claim is gone
 * without one (that evaluation failed: this caller evaluates for real and sees the error).
 */
async function awaitOther(id: string): Promise<string | undefined> {
  const lock = `${fileOf(id)}.lock`;
  const until = Date.now() + CLAIM_WAIT_MS;
  while (Date.now() < until) {
    const text = readShared(id);
    if (text !== undefined) return text;
    if (!fs.existsSync(lock)) return readShared(id);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return undefined;
}

/** Written whole or not at all: a reader in another worker never sees half a file. */
function writeShared(id: string, text: string): void {
  const file = fileOf(id);
  if (!file) return;
  const temp = `${file}.${process.pid}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

function log(outcome: string, id: string, key: string, started: bigint): void {
  const file = process.env[RUN_CACHE_LOG];
  if (!file) return;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const testPath = (
    globalThis as { expect?: { getState(): { testPath?: string } } }
  ).expect?.getState().testPath;
  fs.appendFileSync(
    file,
    `${JSON.stringify({ outcome, ms: Math.round(ms), file: testPath, id, key: key.slice(0, 300) })}\n`,
  );
}

/**
 * The result of `evaluate()`, evaluated once per run for each `key`. The key must hold everything
 * the result depends on (what is evaluated, with which program, stack, full config and secrets);
 * it is compared as its JSON, so objects in it keep their key order (the order a program may
 * report config problems and warnings in).
 */
export async function cachedEvaluation<T>(
  key: unknown,
  evaluate: () => Promise<T>,
): Promise<T> {
  const started = process.hrtime.bigint();
  const keyText = encode(key);
  const id = crypto.createHash("sha256").update(keyText).digest("hex");
  const known = memo.get(id);
  let text = known ?? readShared(id);
  let claimed = false;
  if (text === undefined) {
    claimed = claim(id);
    // Another worker is evaluating this key: its result, rather than the same work twice.
    if (!claimed) text = await awaitOther(id);
  }
  if (text !== undefined) {
    memo.set(id, text);
    const copy = decode(text) as T;
    log(known === undefined ? "hit-run" : "hit-worker", id, keyText, started);
    return copy;
  }
  try {
    const result = await evaluate();
    const encoded = encode(result);
    const copy = decode(encoded);
    if (!isDeepStrictEqual(copy, result)) {
      log("uncacheable", id, keyText, started);
      return result;
    }
    memo.set(id, encoded);
    writeShared(id, encoded);
    log("miss", id, keyText, started);
    return copy as T;
  } finally {
    if (claimed) release(id);
  }
}
