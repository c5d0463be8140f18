import * as pulumi from "@pulumi/pulumi";
import { isPlaceholder } from "@aws-dr/contracts";
import {
  decodeConfigValue,
  NAMESPACE,
  parseConfig,
  instanceSizeWarnings,
  unusedSharedKeys,
  unusedTierKeys,
} from "@aws-dr/model";
import { STACK_SCHEMA, type StackConfig } from "./settings";

/**
 * The `dr:` keys of the running stack's config, with structured and scalar values decoded from the
 * strings Pulumi stores them as ("true" -> true, "3" -> 3, objects from JSON).
 */
function readStackConfig(): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    const [namespace, key] = fullKey.split(":", 2);
    if (namespace === NAMESPACE) raw[key] = decodeConfigValue(value);
  }
  return raw;
}

/**
 * Whether Pulumi holds a config key (with its namespace) as a secret: set with `--secret`, or one
 * of the secret keys of the mock runtime's setAllConfig. The SDK exports it untyped.
 */
function isConfigSecret(fullKey: string): boolean {
  const runtime = pulumi.runtime as unknown as {
    isConfigSecret?: (key: string) => boolean;
  };
  if (typeof runtime.isConfigSecret !== "function")
    throw new Error(
      "this @pulumi/pulumi no longer exports runtime.isConfigSecret; secret config cannot be told from plain text",
    );
  return runtime.isConfigSecret(fullKey);
}

/** One warning per key whose value (at any depth) is still a template placeholder. */
export function placeholderWarnings(
  raw: Record<string, unknown>,
  secretKeys: string[] = [],
): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (isPlaceholder(value))
      found.push(
        `${key} = ${JSON.stringify(value)} is a placeholder from the tier template: replace it with your own value before a real pulumi up`,
      );
    else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value))
        walk(v, Array.isArray(value) ? `${key}[${k}]` : `${key}.${k}`);
  };
  for (const [key, value] of Object.entries(raw))
    if (!secretKeys.includes(key)) walk(value, `${NAMESPACE}:${key}`);
  return found;
}

/** Reads and validates the running stack's config; call before creating any resource. */
export function loadStackConfig(): { cfg: StackConfig; warnings: string[] } {
  const raw = readStackConfig();
  const secretKeys = Object.keys(raw).filter((key) =>
    isConfigSecret(`${NAMESPACE}:${key}`),
  );
  const cfg = parseConfig(raw, STACK_SCHEMA, { secretKeys });
  return {
    cfg,
    warnings: [
      ...unusedTierKeys(raw, cfg.tier, STACK_SCHEMA),
      ...unusedSharedKeys(cfg, STACK_SCHEMA.profiles),
      ...instanceSizeWarnings(raw),
      ...placeholderWarnings(raw, secretKeys),
    ],
  };
}
