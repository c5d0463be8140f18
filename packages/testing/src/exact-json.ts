// JSON that keeps `undefined`, for the run cache's results, which workers share as files: a value
// is cached only when its JSON holds it exactly.

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

/** A fresh copy of an encoded value. */
export const decode = (text: string): unknown =>
  restoreUndefined(JSON.parse(text) as unknown);

/**
 * Whether encode and decode give the value back as it is: strings, booleans, null, undefined,
 * finite numbers but -0, dense arrays and plain objects of those with string keys only. Not a
 * class instance, a Date, NaN, a function, a symbol key, ...
 */
function holdsExactly(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return value !== UNDEFINED;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (Object.getOwnPropertySymbols(value).length > 0) return false;
      if (Array.isArray(value))
        return (
          Object.getPrototypeOf(value) === Array.prototype &&
          Object.keys(value).length === value.length &&
          value.every(holdsExactly)
        );
      return (
        [Object.prototype, null].includes(Object.getPrototypeOf(value)) &&
        Object.values(value).every(holdsExactly)
      );
    }
    default:
      return false;
  }
}

/** A value's text, or undefined when JSON cannot hold it exactly (holdsExactly). */
export const encodeExactly = (value: unknown): string | undefined =>
  holdsExactly(value) ? encode(value) : undefined;
