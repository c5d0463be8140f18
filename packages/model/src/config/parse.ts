import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  describeMiss,
  missedTargets,
  type ModelInputs,
} from "../recovery-model";
import {
  FAILBACK_STEP_FAILOVER,
  FAILBACK_STEPS,
  FAILOVER_STEPS,
  recoveryOf,
  TIERS,
  tiersUsing,
  type Tier,
  type TierProfiles,
} from "../tiers";
import { SMALLEST_GLOBAL_CLASS } from "../phase";
import { ENGINES, type Engine } from "./database";
import { configSchema, type DrConfig } from "./schema";

/** The Pulumi config namespace of every key this program reads. */
export const NAMESPACE = "dr";

/**
 * Invalid stack configuration. A RunError, so `pulumi up` prints the message without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: string[]) {
    super(
      `Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Keys whose values are secrets: never printed, and refused unless Pulumi holds them encrypted. */
const SECRET_KEYS = new Set(["databasePassword"]);

/**
 * A `dr:` key that belongs to some tiers, not to every stack (a tier's settings, an operation): its
 * schema (with defaults for every field, so switching to a tier needs no more than `dr:tier`)
 * lives in the folder of what reads it. Which tiers read it, the tier profiles say.
 */
export interface TierKey {
  schema: z.core.$ZodType;
  /**
   * Checks against the rest of the config, after both parsed: each problem names its key (a path
   * under this one), the value and what is allowed.
   */
  check?: (cfg: DrConfig & Record<string, unknown>) => TierKeyProblem[];
}

/** A problem a tier key's check finds. */
export interface TierKeyProblem {
  path: string[];
  input: unknown;
  message: string;
}
export type TierKeys = Record<string, TierKey>;
export type TierSettings<K extends TierKeys> = {
  [P in keyof K]: z.output<K[P]["schema"]>;
};

/** The whole `dr:` schema of a program: the tier profiles and the keys beyond the shared ones. */
export interface StackSchema<K extends TierKeys = TierKeys> {
  profiles: TierProfiles;
  keys: K;
}

/**
 * What the recovery model (recovery-model.ts) reads of a validated config. The `replicaInstanceClass`
 * of a tier's settings key is its standby replica's class.
 */
export function modelInputs(
  cfg: DrConfig,
  profiles: TierProfiles,
): ModelInputs {
  const settings = cfg as unknown as Record<
    string,
    { replicaInstanceClass?: string } | undefined
  >;
  return {
    backup: cfg.backup,
    healthCheck: cfg.healthCheck,
    database: cfg.database,
    alerts: cfg.alerts,
    replicaInstanceClass: Object.fromEntries(
      TIERS.flatMap((tier) => {
        const key = profiles[tier].settingsKey;
        const replicaClass = key
          ? settings[key]?.replicaInstanceClass
          : undefined;
        return replicaClass ? [[tier, replicaClass]] : [];
      }),
    ),
  };
}

/** Problems for the targets the configured tier misses under the recovery model. */
function targetProblems(cfg: DrConfig, profiles: TierProfiles): string[] {
  const profile = profiles[cfg.tier];
  return missedTargets(profile, modelInputs(cfg, profiles), cfg.targets).map(
    (miss) =>
      `${NAMESPACE}:targets.${miss.target} = ${miss.targetMinutes}: ${describeMiss(cfg.tier, miss)}`,
  );
}

/**
 * Aurora's own limits: a global database (the replica tiers) takes no burstable class, for the
 * primary's instances or the secondary's; rds.global_db_rpo means something only on Aurora.
 */
function auroraProblems(cfg: DrConfig, profiles: TierProfiles): string[] {
  const profile = profiles[cfg.tier];
  const global = profile.aurora.secondary !== "none";
  const { engine, instanceClass, globalRpoSeconds } = cfg.database;
  const problems: string[] = [];
  // At backup-restore it is kept, unused (a regional cluster has no secondary to wait for), so one
  // stack file compares the tiers (assess) and the transition matrix walks them.
  if (globalRpoSeconds !== undefined && engine !== "aurora-postgresql")
    problems.push(
      `${NAMESPACE}:database.globalRpoSeconds = ${globalRpoSeconds}: bounds an Aurora global database's lag, which this stack (dr:database.engine=${engine}) does not run; remove it, or use aurora-postgresql`,
    );
  if (engine !== "aurora-postgresql" || !global) return problems;
  const burstable = (cls: string) => /^db\.t\d/.test(cls);
  const why = `an Aurora global database takes memory-optimized classes (db.r5 and later, e.g. ${SMALLEST_GLOBAL_CLASS}), not burstable ones`;
  if (burstable(instanceClass))
    problems.push(
      `${NAMESPACE}:database.instanceClass = ${JSON.stringify(instanceClass)}: ${why}`,
    );
  const key = profile.settingsKey;
  const replicaClass = key
    ? (cfg as unknown as Record<string, { replicaInstanceClass?: string }>)[key]
        ?.replicaInstanceClass
    : undefined;
  if (key && replicaClass && burstable(replicaClass))
    problems.push(
      `${NAMESPACE}:${key}.replicaInstanceClass = ${JSON.stringify(replicaClass)}: ${why}`,
    );
  return problems;
}

/** The keys the failback check reads, parsed on their own (their errors are the schema's to report). */
const failbackFacts = z.object({
  tier: z.enum(TIERS),
  database: z
    .object({ engine: z.enum(ENGINES).default("postgres") })
    .prefault({}),
  failover: z.boolean().default(false),
  failoverStep: z.enum(FAILOVER_STEPS).default("promote"),
  failback: z.enum(FAILBACK_STEPS).default("none"),
});

/**
 * A failback step is taken at the tiers whose profile has it, with its dr:failover value. While
 * failed over at a replica tier the steps after the fence also come after the failover's resize
 * step: RDS makes a read replica only of a source with backups, and the promote step leaves the
 * promoted one without.
 */
function failbackProblem(
  cfg: Pick<DrConfig, "tier" | "failover" | "failoverStep" | "failback"> & {
    database: { engine: Engine };
  },
  profiles: TierProfiles,
): string[] {
  if (cfg.failback === "none") return [];
  const step = cfg.failback;
  const failover = FAILBACK_STEP_FAILOVER[step];
  const { engine } = cfg.database;
  const tiers = TIERS.filter((t) =>
    recoveryOf(profiles[t], engine).failbackSteps.includes(step),
  );
  const runbook = `docs/runbooks/${cfg.tier}.md#failback`;
  if (failover !== cfg.failover || !tiers.includes(cfg.tier))
    return [
      tiers.length === 0
        ? `${NAMESPACE}:failback = ${JSON.stringify(step)}: is no step of an Aurora global database's failback (AWS switches back; then dr:failover=false); set it back to "none" (${runbook})`
        : `${NAMESPACE}:failback = ${JSON.stringify(step)}: is a step taken at dr:tier ${tiers.join(", ")}${engine === "aurora-postgresql" ? " on Aurora" : ""} with dr:failover ${failover}; set it back to "none" (${runbook})`,
    ];
  // The fence alone goes before it: it changes only the primary region, as soon as that answers.
  if (
    cfg.failover &&
    profiles[cfg.tier].liveReplicas &&
    step !== "fence" &&
    cfg.failoverStep !== "resize"
  )
    return [
      `${NAMESPACE}:failback = ${JSON.stringify(step)}: comes after the failover's resize step (dr:failoverStep "resize"), which gives the promoted database the backups RDS needs of a replica's source; set it back to "none" until that step has run (docs/runbooks/${cfg.tier}.md#failover-resize)`,
    ];
  return [];
}

/**
 * Validates the `dr:` keys (without the namespace) and applies defaults: the shared keys and the
 * tiers' own keys, in one pass. Throws one ConfigError naming every bad key, its value and what is
 * allowed. `secretKeys` are the keys (without the namespace) Pulumi holds as secrets; a secret key
 * such as dr:databasePassword set in plain text is refused.
 */
export function parseConfig<K extends TierKeys>(
  raw: Record<string, unknown>,
  { profiles, keys }: StackSchema<K>,
  {
    secretKeys = [],
    checkTargets = true,
  }: {
    secretKeys?: readonly string[];
    /** Refuse targets the tier cannot meet (recovery-model.ts); `assess` reports them instead. */
    checkTargets?: boolean;
  } = {},
): DrConfig & TierSettings<K> {
  const tierShape = Object.fromEntries(
    Object.entries(keys).map(([key, { schema }]) => [key, schema]),
  );
  const shared = Object.fromEntries(
    Object.entries(raw).filter(([key]) => !(key in tierShape)),
  );
  const own = Object.fromEntries(
    Object.entries(raw).filter(([key]) => key in tierShape),
  );
  const sharedResult = configSchema.safeParse(shared, { reportInput: true });
  const tierSchema = z.strictObject(tierShape);
  const tierResult = tierSchema.safeParse(own, { reportInput: true });
  const allowedTopLevel = [
    ...Object.keys(configSchema.shape),
    ...Object.keys(tierShape),
  ];
  const problems = [
    ...(sharedResult.error?.issues ?? []).flatMap((issue) =>
      describeIssue(issue, configSchema.shape, allowedTopLevel),
    ),
    ...(tierResult.error?.issues ?? []).flatMap((issue) =>
      describeIssue(issue, tierShape, allowedTopLevel),
    ),
  ];
  // Checked even when other keys are bad, so one run names every problem.
  const steps = failbackFacts.safeParse(raw);
  const failback = steps.success ? failbackProblem(steps.data, profiles) : [];
  problems.push(...failback);
  for (const key of SECRET_KEYS) {
    if (key in raw && !secretKeys.includes(key))
      problems.push(
        `${NAMESPACE}:${key} = [secret]: must be set with \`pulumi config set --secret\`; a plain-text value sits readable in the stack file`,
      );
  }
  if (sharedResult.success && tierResult.success && failback.length === 0) {
    const cfg = {
      ...sharedResult.data,
      ...(tierResult.data as TierSettings<K>),
    };
    for (const [key, { check }] of Object.entries(keys))
      for (const p of check?.(cfg) ?? [])
        problems.push(
          `${NAMESPACE}:${[key, ...p.path].join(".")} = ${JSON.stringify(p.input)}: ${p.message}`,
        );
    problems.push(...auroraProblems(cfg, profiles));
    if (checkTargets) problems.push(...targetProblems(cfg, profiles));
    if (problems.length === 0) return cfg;
  }
  throw new ConfigError(problems);
}

/** Tier keys set in a stack whose tier does not read them: kept, valid, and worth a warning. */
export function unusedTierKeys(
  raw: Record<string, unknown>,
  tier: Tier,
  { profiles, keys }: StackSchema,
): string[] {
  return Object.keys(keys)
    .map((key) => ({ key, usedBy: tiersUsing(profiles, key) }))
    .filter(({ key, usedBy }) => key in raw && !usedBy.includes(tier))
    .map(
      ({ key, usedBy }) =>
        `${NAMESPACE}:${key} is set but not used at dr:tier ${tier} (used by ${usedBy.join(", ")}); it is validated and kept for a switch to those tiers`,
    );
}

/** Shared keys that only some tiers read, set at another tier: valid, kept, warned about. */
export function unusedSharedKeys(
  cfg: DrConfig,
  profiles: TierProfiles,
): string[] {
  if (cfg.dns?.weights && profiles[cfg.tier].routing !== "weighted")
    return [
      `${NAMESPACE}:dns.weights is set but not used at dr:tier ${cfg.tier} (used by ${TIERS.filter((t) => profiles[t].routing === "weighted").join(", ")}: the other tiers send traffic to one site); it is validated and kept for a switch to that tier`,
    ];
  return [];
}

function describeIssue(
  issue: z.core.$ZodIssue,
  rootShape: z.core.$ZodShape,
  allowedTopLevel: string[],
): string[] {
  const key = (path: PropertyKey[]) =>
    `${NAMESPACE}:${path.map(String).join(".")}`;
  if (issue.code === "unrecognized_keys") {
    const allowed =
      issue.path.length === 0
        ? allowedTopLevel
        : allowedKeys(rootShape, issue.path);
    return issue.keys.map(
      (k) =>
        `${key([...issue.path, k])}: unknown key; allowed here: ${allowed.join(", ")}`,
    );
  }
  const secret = issue.path.some((p) => SECRET_KEYS.has(String(p)));
  const value = secret
    ? "[secret]"
    : issue.input === undefined
      ? "(not set)"
      : JSON.stringify(issue.input);
  return [`${key(issue.path)} = ${value}: ${issue.message}`];
}

/** The keys a schema allows at a path, for unknown-key messages. */
function allowedKeys(
  rootShape: z.core.$ZodShape,
  path: PropertyKey[],
): string[] {
  let shape = rootShape as Record<string, z.ZodType>;
  for (const part of path) {
    const inner = unwrap(shape[String(part)]);
    shape =
      inner instanceof z.ZodObject
        ? (inner.shape as Record<string, z.ZodType>)
        : {};
  }
  return Object.keys(shape);
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current: unknown = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault
  ) {
    current = current.unwrap();
  }
  return current as z.ZodType | undefined;
}

/** A config value as JSON when it parses as JSON, else the string itself. */
export function decodeConfigValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
