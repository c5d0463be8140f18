// JSON that keeps `undefined`, for the run cache's results and the outside evaluator's arguments:
// a result is cached only when its JSON holds it exactly.
import { isDeepStrictEqual } from "node:util";

// Stands in for `undefined`, which JSON drops from objects (a resource's absent parent, an output
// that is undefined) and turns into null in arrays.
const UNDEFINED = "\u0000undefined\u0000";

export const encode = (value: unknown): string =>
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

/** A fresh copy of an encoded value, made of the caller's own objects (JSON.parse of its realm). */
export const decode = (text: string): unknown =>
  restoreUndefined(JSON.parse(text) as unknown);

/** A value's text, or undefined when JSON cannot hold it exactly (a class instance, a Date, NaN, ...). */
export function encodeExactly(value: unknown): string | undefined {
  const encoded = encode(value);
  return isDeepStrictEqual(decode(encoded), value) ? encoded : undefined;
}
