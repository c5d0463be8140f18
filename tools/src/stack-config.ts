import * as fs from "node:fs";
import * as path from "node:path";
import { parse, YAMLError } from "yaml";
import { decodeConfigValue } from "@aws-dr/model";
import type { RawStackConfig } from "@aws-dr/offline-plan";

/** The repository root: stacks/ and dist/ hang off it. */
export const REPO_ROOT = path.resolve(
  __dirname,
  "..",
  fs.existsSync(path.resolve(__dirname, "../stacks")) ? "" : "..",
);

/** Stands in for `secure:` values, which only the Pulumi CLI can decrypt. */
export const OFFLINE_SECRET = "offline-placeholder-secret-value";

/** Reads stacks/Pulumi.<stack>.yaml's `config:` map. */
export function readStackFile(stack: string, root = REPO_ROOT): RawStackConfig {
  return readStack(stack, root).config;
}

/** A stack file's config and the keys it holds encrypted (`secure:`), which Pulumi treats as secret. */
export interface StackFile {
  config: RawStackConfig;
  secretKeys: string[];
}

/** The stacks the repo holds: one stacks/Pulumi.<env>.yaml each, sorted. */
export function stackNames(root = REPO_ROOT): string[] {
  return fs
    .readdirSync(path.join(root, "stacks"))
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .map((f) => f.slice(7, -5))
    .sort();
}

/** Stack files parsed, by their text: a matrix or a test run reads the same few files many times. */
const parsed = new Map<string, unknown>();

/** A stack file's YAML; a syntax error is bad config (exit 2), naming the file and line. */
function parseStackYaml(file: string, root: string): unknown {
  const text = fs.readFileSync(file, "utf8");
  if (!parsed.has(text)) parsed.set(text, parseYaml(text, file, root));
  // A copy: the caller may change what it is given.
  return structuredClone(parsed.get(text));
}

function parseYaml(text: string, file: string, root: string): unknown {
  try {
    return parse(text);
  } catch (err) {
    if (!(err instanceof YAMLError)) throw err;
    const at = err.linePos?.[0];
    throw new UsageError(
      `${path.relative(root, file)}${at ? `:${at.line}:${at.col}` : ""}: not valid YAML: ${err.message.split("\n")[0]}`,
    );
  }
}

/** Reads stacks/Pulumi.<stack>.yaml: its `config:` map, `secure:` values replaced by OFFLINE_SECRET. */
export function readStack(stack: string, root = REPO_ROOT): StackFile {
  const file = path.join(root, "stacks", `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file))
    throw new UsageError(
      `no stack "${stack}": stacks/Pulumi.${stack}.yaml does not exist; stacks: ${stackNames(root).join(", ")}`,
    );
  const doc = (parseStackYaml(file, root) ?? {}) as {
    config?: Record<string, unknown>;
  };
  const config: RawStackConfig = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (isSecure(value)) {
      config[key] = OFFLINE_SECRET;
      secretKeys.push(key);
    } else {
      config[key] = value;
    }
  }
  return { config, secretKeys };
}

/**
 * The secret keys left after `key=value` overrides: a command-line value is plain text, so a key it
 * sets (wholly or by path) is no longer secret.
 */
export function secretKeysAfter(
  secretKeys: readonly string[],
  overrides: string[],
): string[] {
  const overridden = new Set(
    overrides.map((o) => o.slice(0, Math.max(o.indexOf("="), 0)).split(".")[0]),
  );
  return secretKeys.filter((key) => !overridden.has(key));
}

function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}

/**
 * Applies `key=value` overrides. The value is JSON when it parses, else a string. A key may name a
 * path inside a structured value: `dr:app.minSize=0`.
 */
export function applyOverrides(
  config: RawStackConfig,
  overrides: string[],
): RawStackConfig {
  const result: RawStackConfig = structuredClone(config);
  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0 || !override.slice(0, eq).includes(":"))
      throw new UsageError(
        `an override is namespace:key=value, such as dr:tier=pilot-light; got "${override}"`,
      );
    const [key, ...pathParts] = override.slice(0, eq).split(".");
    const value = decodeConfigValue(override.slice(eq + 1));
    if (pathParts.length === 0) {
      result[key] = value;
      continue;
    }
    let target = (result[key] = isObject(result[key])
      ? result[key]
      : {}) as Record<string, unknown>;
    for (const part of pathParts.slice(0, -1)) {
      target = (target[part] = isObject(target[part])
        ? target[part]
        : {}) as Record<string, unknown>;
    }
    target[pathParts[pathParts.length - 1]] = value;
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A mistake in the command line or stack name, reported like a config error (exit 2). */
export class UsageError extends Error {}
