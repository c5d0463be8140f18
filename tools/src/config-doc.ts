// `npm run config-doc`: writes the reference of every `dr:` key into docs/config.md, between the
// markers <!-- config-reference:begin --> and <!-- config-reference:end -->, from the schema itself:
// the shared keys (configSchema) and the tiers' and operations' own keys (STACK_SCHEMA). Each key's
// meaning is the schema's own description (`.describe()`); type, default and allowed values are
// read from the schema; the tiers that read a key from the tier profiles. config-doc.test.ts fails
// when the file is stale or a key has no description.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import {
  configSchema,
  dbInstanceClass,
  ec2InstanceType,
  FAILBACK_STEP_FAILOVER,
  FAILBACK_STEPS,
  NAMESPACE,
  region,
  TIERS,
  tiersUsing,
  type StackSchema,
  type Tier,
  type TierProfile,
  type TierProfiles,
} from "@aws-dr/model";
import { STACK_SCHEMA } from "@aws-dr/stacks/settings";
import { commandLineOnly, exitWith, HELP_LINE, type CliResult } from "./args";
import { REPO_ROOT } from "./stack-config";

export const CONFIG_DOC = path.join(REPO_ROOT, "docs", "config.md");
export const BEGIN = "<!-- config-reference:begin -->";
export const END = "<!-- config-reference:end -->";

/** One `dr:` key as the reference prints it. */
export interface KeyDoc {
  /** The path under `dr:`, e.g. `app.minSize`. */
  key: string;
  type: string;
  default: string;
  allowed: string;
  tiers: Tier[];
  /** The schema's description; undefined when the key has none (the test refuses that). */
  meaning: string | undefined;
}

/**
 * Shared keys that only some tiers read (every other shared key is read at every tier). The rules
 * are the program's: parse.ts's unusedSharedKeys warns about dns.weights where routing is not
 * weighted, and the phase resolver restores a snapshot only where no live replica is promoted
 * (config-doc.test.ts checks both against the code).
 */
const SHARED_KEY_TIERS: Record<string, (profile: TierProfile) => boolean> = {
  "dns.weights": (p) => p.routing === "weighted",
  "database.restoreSnapshot": (p) => !p.liveReplicas,
};

/** Allowed values that differ by tier, from the profiles. */
const ALLOWED_BY_TIER: Record<string, (profiles: TierProfiles) => string> = {
  failback: (profiles) =>
    FAILBACK_STEPS.map((step) => {
      if (step === "none") return "`none`";
      const tiers = TIERS.filter((t) =>
        profiles[t].failbackSteps.includes(step),
      );
      return `\`${step}\` (${tiers.join(", ")}; with dr:failover ${FAILBACK_STEP_FAILOVER[step]})`;
    }).join(", "),
};

/** Checks whose rule only code states (no message to quote), in words. */
const CHECK_WORDS = new Map<unknown, string>([
  [
    region._zod.def.checks?.[0],
    "a region of AWS's commercial partition, such as us-east-1",
  ],
  [
    ec2InstanceType._zod.def.checks?.[1],
    "of a family listed in packages/model/src/instance-types.ts",
  ],
  [
    dbInstanceClass._zod.def.checks?.[1],
    "of a family listed in packages/model/src/instance-types.ts",
  ],
]);

type Schema = z.core.$ZodType;

interface Unwrapped {
  base: Schema;
  description?: string;
  required: boolean;
  defaultValue?: unknown;
  hasDefault: boolean;
  /** prefault({}): an object whose keys' defaults apply when it is unset. */
  prefault: boolean;
  secret?: boolean;
}

const describedAs = (schema: Schema) =>
  z.globalRegistry.get(schema)?.description;

/** Peels optional, default, prefault and pipe (its output side) off a schema. */
function unwrap(schema: Schema): Unwrapped {
  const result: Unwrapped = {
    base: schema,
    required: true,
    hasDefault: false,
    prefault: false,
  };
  let current: Schema = schema;
  for (;;) {
    result.description ??= describedAs(current);
    const def = current._zod.def as unknown as Record<string, unknown>;
    if (def.type === "optional") {
      result.required = false;
      current = def.innerType as Schema;
    } else if (def.type === "default") {
      result.required = false;
      result.hasDefault = true;
      result.defaultValue = def.defaultValue;
      current = def.innerType as Schema;
    } else if (def.type === "prefault") {
      result.required = false;
      result.prefault = true;
      current = def.innerType as Schema;
    } else if (def.type === "pipe") {
      current = def.out as Schema;
    } else break;
  }
  result.base = current;
  return result;
}

/** A check's own error message, without its "must be ". */
function checkMessage(def: { error?: unknown }): string | undefined {
  if (typeof def.error !== "function") return undefined;
  try {
    const message: unknown = (def.error as (issue?: unknown) => unknown)();
    return typeof message === "string"
      ? message.replace(/^must be /, "")
      : undefined;
  } catch {
    return undefined;
  }
}

const code = (value: unknown) =>
  `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

const isBound = (n: number | null | undefined): n is number =>
  typeof n === "number" && Number.isFinite(n) && Math.abs(n) < 2 ** 53 - 1;

function range(min: number | null | undefined, max: number | null | undefined) {
  if (isBound(min) && isBound(max)) return `${min} to ${max}`;
  if (isBound(min)) return `at least ${min}`;
  if (isBound(max)) return `at most ${max}`;
  return "any";
}

/** The words for a string's checks: each check's message, or CHECK_WORDS for one without. */
function stringRule(schema: Schema, key: string): string {
  const def = schema._zod.def as unknown as {
    format?: string;
    error?: unknown;
    checks?: { _zod: { def: Record<string, unknown> } }[];
  };
  const words: string[] = [];
  if (def.format) words.push(checkMessage(def) ?? `a ${def.format}`);
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    const known = CHECK_WORDS.get(check);
    if (known) words.push(known);
    else if (checkMessage(c)) words.push(checkMessage(c)!);
    else if (c.check === "min_length")
      words.push(
        c.minimum === 1 ? "not empty" : `at least ${c.minimum} characters`,
      );
    else if (c.check === "max_length")
      words.push(`at most ${c.maximum} characters`);
    else
      throw new Error(
        `${NAMESPACE}:${key}: a ${String(c.check)} check without a message; give it one (or words in CHECK_WORDS)`,
      );
  }
  return words.length > 0 ? words.join("; ") : "any";
}

/** Type and allowed values of a base schema. */
function typeAndAllowed(
  schema: Schema,
  key: string,
): { type: string; allowed: string } {
  const def = schema._zod.def as unknown as Record<string, unknown>;
  switch (def.type) {
    case "string":
      return { type: "string", allowed: stringRule(schema, key) };
    case "number": {
      const n = schema as unknown as z.ZodNumber;
      return {
        type: n.isInt ? "integer" : "number",
        allowed: range(n.minValue, n.maxValue),
      };
    }
    case "boolean":
      return { type: "boolean", allowed: "`true`, `false`" };
    case "enum":
      return {
        type: "string",
        allowed: Object.values(def.entries as Record<string, string>)
          .map(code)
          .join(", "),
      };
    case "union": {
      const values = (def.options as Schema[]).flatMap(
        (o) => (o._zod.def as unknown as { values?: unknown[] }).values ?? [],
      );
      if (values.length !== (def.options as Schema[]).length)
        throw new Error(
          `${NAMESPACE}:${key}: only unions of literals are documented`,
        );
      const type = values.every((v) => Number.isInteger(v))
        ? "integer"
        : typeof values[0];
      return { type, allowed: values.map(code).join(", ") };
    }
    case "array": {
      const element = typeAndAllowed(def.element as Schema, `${key}[]`);
      let min: number | undefined;
      let max: number | undefined;
      for (const check of (def.checks ?? []) as {
        _zod: { def: Record<string, unknown> };
      }[]) {
        const c = check._zod.def;
        if (c.check === "min_length") min = c.minimum as number;
        if (c.check === "max_length") max = c.maximum as number;
      }
      const items = range(min, max);
      return {
        type: `list of ${element.type}s`,
        allowed: `${items === "any" ? "any number of" : items} items${element.allowed === "any" ? "" : `, each ${element.allowed}`}`,
      };
    }
    case "object":
      return {
        type: "object",
        allowed: Object.keys(def.shape as object)
          .map(code)
          .join(", "),
      };
    default:
      throw new Error(
        `${NAMESPACE}:${key}: a ${String(def.type)} is not documented yet`,
      );
  }
}

function defaultOf(u: Unwrapped): string {
  if (u.hasDefault) return code(u.defaultValue);
  if (u.prefault) return "its keys' defaults";
  return u.required ? "required" : "unset";
}

/** Every key under `dr:`, depth first in schema order: the shared keys, then the tier keys. */
export function configKeys(schema: StackSchema = STACK_SCHEMA): KeyDoc[] {
  const docs: KeyDoc[] = [];
  const visit = (key: string, s: Schema, tiers: Tier[]) => {
    const u = unwrap(s);
    const own = SHARED_KEY_TIERS[key];
    const keyTiers = own ? tiers.filter((t) => own(schema.profiles[t])) : tiers;
    const { type, allowed } = typeAndAllowed(u.base, key);
    docs.push({
      key,
      type: key === "databasePassword" ? "string (secret)" : type,
      default: defaultOf(u),
      allowed: ALLOWED_BY_TIER[key]?.(schema.profiles) ?? allowed,
      tiers: keyTiers,
      meaning: u.description,
    });
    const def = u.base._zod.def as unknown as Record<string, unknown>;
    if (def.type === "object")
      for (const [child, childSchema] of Object.entries(
        def.shape as Record<string, Schema>,
      ))
        visit(`${key}.${child}`, childSchema, keyTiers);
  };
  for (const [key, s] of Object.entries(configSchema.shape))
    visit(key, s as Schema, [...TIERS]);
  for (const [key, { schema: s }] of Object.entries(schema.keys))
    visit(key, s as Schema, tiersUsing(schema.profiles, key));
  return docs;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** A Markdown table laid out as prettier lays it out (so `prettier --check docs` passes). */
function table(header: string[], rows: string[][]): string {
  const cells = [header, ...rows].map((r) => r.map(cell));
  const widths = header.map((_, i) =>
    Math.max(3, ...cells.map((r) => r[i].length)),
  );
  const line = (r: string[]) =>
    `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [
    line(cells[0]),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.slice(1).map(line),
  ].join("\n");
}

/** The generated part of docs/config.md: a table per top-level object key, the scalars first. */
export function renderReference(docs: KeyDoc[]): string {
  const tiersText = (tiers: Tier[]) =>
    tiers.length === TIERS.length ? "all" : tiers.join(", ");
  const row = (d: KeyDoc) => [
    `\`${NAMESPACE}:${d.key}\``,
    d.type,
    d.default,
    d.allowed,
    tiersText(d.tiers),
    d.meaning ?? "",
  ];
  const header = ["key", "type", "default", "allowed", "tiers", "meaning"];
  const sections = new Map<string, KeyDoc[]>();
  const objects = new Set(
    docs.filter((d) => d.type === "object").map((d) => d.key.split(".")[0]),
  );
  for (const d of docs) {
    const top = d.key.split(".")[0];
    const section = objects.has(top) ? top : "";
    sections.set(section, [...(sections.get(section) ?? []), d]);
  }
  const parts = [
    BEGIN,
    "",
    "<!-- Generated by `npm run config-doc` from the schema's descriptions: edit those, not this. -->",
  ];
  // The stack's own scalar keys first, then each section in schema order.
  const order = ["", ...[...sections.keys()].filter((s) => s !== "")];
  for (const section of order) {
    const rows = sections.get(section);
    if (!rows) continue;
    parts.push(
      "",
      section === "" ? "### The stack" : `### \`${NAMESPACE}:${section}\``,
      "",
      table(header, rows.map(row)),
    );
  }
  parts.push("", END);
  return parts.join("\n");
}

/** docs/config.md with its reference replaced by the current one; throws if a marker is missing. */
export function embedReference(doc: string, reference: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`docs/config.md has no ${BEGIN} ... ${END} block`);
  return doc.slice(0, start) + reference + doc.slice(end + END.length);
}

export const CONFIG_DOC_USAGE = `usage: npm run config-doc
  writes docs/config.md's reference of every dr: key from the schema's descriptions (no options)
${HELP_LINE}`;

const CONFIG_DOC_COMMAND = { usage: CONFIG_DOC_USAGE, options: {} } as const;

/** The command: writes the reference into file (docs/config.md); exit 1 when a key has no description. */
export function runConfigDoc(argv: string[], file = CONFIG_DOC): CliResult {
  const early = commandLineOnly(argv, CONFIG_DOC_COMMAND);
  if (early) return early;
  const docs = configKeys();
  const missing = docs.filter((d) => !d.meaning).map((d) => d.key);
  if (missing.length > 0)
    return {
      code: 1,
      stdout: "",
      stderr: `no description (.describe()) for: ${missing.map((k) => `${NAMESPACE}:${k}`).join(", ")}`,
    };
  fs.writeFileSync(
    file,
    embedReference(fs.readFileSync(file, "utf8"), renderReference(docs)),
  );
  return {
    code: 0,
    stdout: `${path.relative(REPO_ROOT, file)}: ${docs.length} keys`,
    stderr: "",
  };
}

if (require.main === module) exitWith(runConfigDoc(process.argv.slice(2)));
