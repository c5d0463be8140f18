// The deployed state and the moves from it. Every run publishes its DR state as a stack output and
// reads the last one back before it builds anything (a StackReference to its own stack): the
// transition function here decides, from what is deployed and what the config asks for, whether
// one `pulumi up` may make that move. Pure: no SDK, no AWS.
import { ENGINES, type Engine } from "./config/database";
import {
  FAILBACK_STEP_FAILOVER,
  recoveryOf,
  tierMoveAllowed,
  TIERS,
  type FailbackStep,
  type FailoverStep,
  type Tier,
  type TierProfiles,
} from "./tiers";

/** The stack output that holds the DR state (DrState). */
export const DR_STATE_OUTPUT = "drState";

/** The shape of DrState this program writes; a reader of a newer one treats it as unreadable. */
export const DR_STATE_SCHEMA = 1;

/** What a stack runs, as far as the safety of the next move goes. */
export interface DrState {
  schema: typeof DR_STATE_SCHEMA;
  tier: Tier;
  failover: boolean;
  failoverStep: FailoverStep;
  failback: FailbackStep;
  /** dr:database.generation: the primary database's generation (one more after each failback). */
  generation: number;
  engine: Engine;
  primaryRegion: string;
  recoveryRegion: string;
}

/**
 * The state as a run publishes it: with its sequence, one more than the deployed state's at each
 * move (1 at the first), so a copy kept outside the state backend shows whether a read of the
 * backend is current.
 */
export type PublishedState = DrState & { sequence: number };

/** The state this run publishes: the desired one, numbered after the deployed one. */
export function publishedStateOf(
  deployed: Deployed,
  desired: DrState,
): PublishedState {
  if (deployed.kind !== "known") return { ...desired, sequence: 1 };
  const moved = !sameMovable(deployed.state, desired);
  return { ...desired, sequence: deployed.sequence + (moved ? 1 : 0) };
}

/** What the config asks for, read as a DrState (the failover step only matters while failed over). */
export function drStateOf(cfg: {
  tier: Tier;
  failover: boolean;
  failoverStep: FailoverStep;
  failback: FailbackStep;
  database: { generation: number; engine: Engine };
  primaryRegion: string;
  recoveryRegion: string;
}): DrState {
  return {
    schema: DR_STATE_SCHEMA,
    tier: cfg.tier,
    failover: cfg.failover,
    failoverStep: cfg.failover ? cfg.failoverStep : "promote",
    failback: cfg.failback,
    generation: cfg.database.generation,
    engine: cfg.database.engine,
    primaryRegion: cfg.primaryRegion,
    recoveryRegion: cfg.recoveryRegion,
  };
}

/** What a run knows of the deployed stack. */
export type Deployed =
  /** No outputs: nothing was deployed yet (a first deployment). */
  | { kind: "none" }
  /**
   * The state the last update published, and its sequence: one more at each move, so a marker
   * outside the state backend that holds it shows whether the backend read is current.
   */
  | { kind: "known"; state: DrState; sequence: number }
  /**
   * Outputs without a readable DR state (deployed before it existed, a newer schema, a malformed
   * value): tier, failover and regions from the outputs every version wrote, and the generation
   * where the recovery database's URN shows it; failover step and failback unknown. So only a run
   * in normal operation that keeps all of that is allowed (it then publishes the state), and a
   * failed-over one, or one whose generation is unknown, moves only by the override.
   */
  | {
      kind: "partial";
      tier: Tier;
      failover: boolean;
      generation?: number;
      primaryRegion: string;
      recoveryRegion: string;
      why: string;
    }
  /** Outputs that say nothing usable: only the override moves it. */
  | { kind: "unreadable"; why: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A DrState as written by this program's schema, with its sequence, or why not. */
function parseState(
  value: unknown,
): { state: DrState; sequence: number } | string {
  if (!isObject(value)) return `${DR_STATE_OUTPUT} is not an object`;
  if (value.schema !== DR_STATE_SCHEMA)
    return `${DR_STATE_OUTPUT} has schema ${JSON.stringify(value.schema)}; this program reads schema ${DR_STATE_SCHEMA}`;
  const ok =
    TIERS.includes(value.tier as Tier) &&
    typeof value.failover === "boolean" &&
    (value.failoverStep === "promote" || value.failoverStep === "resize") &&
    typeof value.failback === "string" &&
    Object.keys(FAILBACK_STEP_FAILOVER)
      .concat("none")
      .includes(value.failback) &&
    Number.isInteger(value.generation) &&
    (value.generation as number) >= 1 &&
    ENGINES.includes(value.engine as Engine) &&
    typeof value.primaryRegion === "string" &&
    typeof value.recoveryRegion === "string" &&
    Number.isInteger(value.sequence) &&
    (value.sequence as number) >= 1;
  if (!ok) return `${DR_STATE_OUTPUT} is malformed`;
  const { sequence, ...state } = value;
  return { state: state as unknown as DrState, sequence: sequence as number };
}

/** The generation in a database's logical name (`<site>-db`, then `<site>-db-<generation>`). */
function generationOfName(site: string, name: string): number | undefined {
  const m = new RegExp(`^${site}-db(?:-(\\d{1,3}))?$`).exec(name);
  return m ? Number(m[1] ?? 1) : undefined;
}

/**
 * The generation an earlier version's outputs show, where they agree: the serving database's
 * address (`primary-db[-<n>]`, or `recovery-db[-<n>]` while failed over, autonamed with a
 * 7-character suffix) and, at the replica tiers, the recovery database's URN (`recovery-db[-<n>]`). Between a failback's promote step and the next
 * generation they differ (the successor serves, its replica is not built yet): unknown then.
 */
function legacyGeneration(
  outputs: Record<string, unknown>,
): number | undefined {
  const address = outputs.databaseAddress;
  const identifier =
    typeof address === "string"
      ? address.split(".")[0].replace(/-[0-9a-z]{7}$/, "")
      : undefined;
  const serving = identifier
    ? (generationOfName("primary", identifier) ??
      generationOfName("recovery", identifier))
    : undefined;
  const urn = outputs.recoveryDatabaseUrn;
  if (urn === undefined) return serving;
  const recovery =
    typeof urn === "string"
      ? generationOfName("recovery", urn.split("::").pop() ?? "")
      : undefined;
  return recovery === serving ? serving : undefined;
}

/** The deployed stack as its last update's outputs tell it (undefined or {}: none yet). */
export function readDeployed(
  outputs: Record<string, unknown> | undefined,
): Deployed {
  if (!outputs || Object.keys(outputs).length === 0) return { kind: "none" };
  const parsed =
    DR_STATE_OUTPUT in outputs
      ? parseState(outputs[DR_STATE_OUTPUT])
      : `no ${DR_STATE_OUTPUT} output (deployed before the program published it)`;
  if (typeof parsed !== "string") return { kind: "known", ...parsed };
  const { tier, failover, primaryRegion, recoveryRegion } = outputs;
  if (
    TIERS.includes(tier as Tier) &&
    typeof failover === "boolean" &&
    typeof primaryRegion === "string" &&
    typeof recoveryRegion === "string"
  )
    return {
      kind: "partial",
      tier: tier as Tier,
      failover,
      generation: legacyGeneration(outputs),
      primaryRegion,
      recoveryRegion,
      why: parsed,
    };
  return { kind: "unreadable", why: parsed };
}

/** The config keys a DrState field comes from. */
const KEY = {
  tier: "dr:tier",
  failover: "dr:failover",
  failoverStep: "dr:failoverStep",
  failback: "dr:failback",
  generation: "dr:database.generation",
  engine: "dr:database.engine",
  primaryRegion: "dr:primaryRegion",
  recoveryRegion: "dr:recoveryRegion",
} as const;
type StateKey = keyof typeof KEY;
/** The fields a move may change, in the order a refusal names them. */
const MOVABLE: StateKey[] = [
  "failover",
  "failoverStep",
  "failback",
  "generation",
  "tier",
];

/** A state as one line (what dr:overrideDeployedState names a move from and to). */
export function describeDeployed(deployed: Deployed): string {
  switch (deployed.kind) {
    case "none":
      return "none";
    case "unreadable":
      return "unreadable";
    case "partial":
      return `tier=${deployed.tier} failover=${deployed.failover} ${deployed.generation === undefined ? "(failback and generation unknown)" : `generation=${deployed.generation} (failback unknown)`}`;
    case "known":
      return describeState(deployed.state);
  }
}

function describeState(s: DrState): string {
  return `tier=${s.tier} failover=${s.failover} failoverStep=${s.failoverStep} failback=${s.failback} generation=${s.generation}`;
}

/** A candidate next state as the config that makes it. */
function asConfig(s: DrState, from: DrState): string {
  const changed = MOVABLE.filter((k) => s[k] !== from[k]);
  return changed.map((k) => `${KEY[k]}=${String(s[k])}`).join(" ");
}

const sameMovable = (a: DrState, b: DrState) =>
  MOVABLE.every((k) => a[k] === b[k]);

/**
 * The states one `pulumi up` may move a deployed state to (besides staying), in the order of the
 * tier's runbook: a failover from normal operation (the promote step); its resize step; each
 * failback step in the profile's order, the fence also before the resize step; the step that
 * leaves the failover, and the generation's one step up after a standby failback's promote step; a
 * tier change from normal operation, and while failed over only to the tiers the profile allows.
 * Back one step from reseed (drop the successor, stay fenced) and from freeze (the recovery
 * database takes writes again): a second bad day before the promotion must not need the override.
 */
export function nextStates(s: DrState, profiles: TierProfiles): DrState[] {
  const profile = profiles[s.tier];
  const next: DrState[] = [];
  const steps = recoveryOf(profile, s.engine).failbackSteps;
  const at = (changes: Partial<DrState>): DrState => ({ ...s, ...changes });
  if (!s.failover && s.failback === "none") {
    next.push(at({ failover: true, failoverStep: "promote" }));
    for (const tier of TIERS)
      if (tier !== s.tier && tierMoveAllowed(profiles, s.engine, s.tier, tier))
        next.push(at({ tier }));
    return next;
  }
  if (s.failback === "promote")
    return [at({ failback: "none", generation: s.generation + 1 })];
  // Failed over.
  if (s.failoverStep === "promote") next.push(at({ failoverStep: "resize" }));
  const index = s.failback === "none" ? -1 : steps.indexOf(s.failback);
  const step = steps[index + 1];
  if (step === undefined)
    // After the last step (a restored site's release): leave the failover.
    next.push(
      at({ failover: false, failoverStep: "promote", failback: "none" }),
    );
  else if (FAILBACK_STEP_FAILOVER[step]) {
    // Steps after the fence need the resize step's backups at a replica tier (config says so).
    if (
      step === "fence" ||
      !profile.liveReplicas ||
      s.failoverStep === "resize"
    )
      next.push(at({ failback: step }));
  } else
    next.push(at({ failover: false, failoverStep: "promote", failback: step }));
  if (s.failback === "reseed" || s.failback === "freeze")
    next.push(at({ failback: steps[index - 1] }));
  for (const tier of recoveryOf(profile, s.engine).failedOverTierMoves)
    if (s.failback === "none") next.push(at({ tier }));
  return next;
}

/** Each replica tier's runbook section for a failback step (docs/runbooks/<tier>.md). */
const STEP_SECTION: Record<FailbackStep, string> = {
  none: "failback",
  release: "failback",
  fence: "failback-fence",
  reseed: "failback-reseed",
  freeze: "failback-stop-writes",
  promote: "failback-promote",
};

/** The runbook section of the deployed state's next step: where a refusal points. */
export function runbookSection(s: DrState, profiles: TierProfiles): string {
  const profile = profiles[s.tier];
  const steps = recoveryOf(profile, s.engine).failbackSteps;
  const section =
    !s.failover && s.failback === "none"
      ? "failover"
      : !profile.liveReplicas
        ? "failback"
        : s.failback === "promote"
          ? "failback-generation"
          : s.failback === "none" && s.failoverStep === "promote"
            ? "failover-resize"
            : STEP_SECTION[
                steps[
                  steps.indexOf(s.failback as Exclude<FailbackStep, "none">) + 1
                ] ?? "none"
              ];
  return `docs/runbooks/${s.tier}.md#${section}`;
}

/** A move's verdict: allowed (with a warning where it is overridden) or refused with one message. */
export type MoveVerdict =
  { allowed: true; warning?: string } | { allowed: false; problem: string };

/** dr:overrideDeployedState's key, for messages. */
export const OVERRIDE_KEY = "dr:overrideDeployedState";

/**
 * Whether one `pulumi up` may move the deployed stack to the desired state. Regions and the engine
 * never change on a deployed stack; a first deployment starts in normal operation at generation 1;
 * the rest follows nextStates. `override` (dr:overrideDeployedState) must name the move exactly,
 * `<deployed> -> <desired>` (describeDeployed, then the desired state): it allows that one move,
 * with a warning, and refuses every other run, so it cannot be left on.
 */
export function checkMove(
  deployed: Deployed,
  desired: DrState,
  profiles: TierProfiles,
  override?: string,
): MoveVerdict {
  const here = describeDeployed(deployed);
  // The override names the whole move: a run that moves elsewhere, or nowhere (a preview, a run
  // that changes no DR state), or any run once the move is deployed, finds it naming another one.
  const move = `${here} -> ${describeState(desired)}`;
  const fixed = (
    field: "primaryRegion" | "recoveryRegion" | "engine",
    was: string,
  ) =>
    desired[field] === was
      ? undefined
      : field === "engine"
        ? `${KEY.engine} = ${JSON.stringify(desired.engine)}: the deployed stack runs ${JSON.stringify(was)}, and the engine never changes on a deployed stack: that is a data migration (a snapshot restored into Aurora, or an Aurora read replica of the RDS instance, then the switch), not a config change (docs/aurora.md#migrating-from-rds)`
        : `${KEY[field]} = ${JSON.stringify(desired[field])}: the deployed stack runs ${JSON.stringify(was)}, and a region never changes on a deployed stack (everything would be rebuilt, its data with it); deploy a new stack instead (docs/deployed-state.md)`;
  if (deployed.kind === "known" || deployed.kind === "partial") {
    const source = deployed.kind === "known" ? deployed.state : deployed;
    const problem =
      fixed("primaryRegion", source.primaryRegion) ??
      fixed("recoveryRegion", source.recoveryRegion) ??
      // A stack without the state predates dr:database.engine: it runs RDS.
      fixed(
        "engine",
        deployed.kind === "known" ? deployed.state.engine : "postgres",
      );
    if (problem) return { allowed: false, problem };
  }
  // Every refusal ends with the one override that would let this run past (typed exactly, on the
  // worst day), after what to do instead.
  const orOverride = ` If you know the move is safe (the state was changed by hand, the backend lags): ${OVERRIDE_KEY}=${JSON.stringify(move)} for this one run (docs/deployed-state.md#override).`;
  if (override !== undefined && override !== move)
    return {
      allowed: false,
      problem: `${OVERRIDE_KEY} = ${JSON.stringify(override)}: names another move than this run's (${JSON.stringify(move)}); remove it (pulumi config rm ${OVERRIDE_KEY}), or set it to this run's move to override the check once (docs/deployed-state.md#override)`,
    };
  if (override !== undefined)
    return {
      allowed: true,
      warning: `${OVERRIDE_KEY} overrides the deployed-state check for this one move from ${JSON.stringify(here)} to ${JSON.stringify(describeState(desired))}: nothing checks it is safe. Remove the key once it is deployed; the next run refuses while it is set.`,
    };
  switch (deployed.kind) {
    case "none": {
      const first: DrState = {
        ...desired,
        failover: false,
        failoverStep: "promote",
        failback: "none",
        generation: 1,
      };
      if (sameMovable(first, desired)) return { allowed: true };
      const key = MOVABLE.find((k) => first[k] !== desired[k]) ?? "failover";
      return {
        allowed: false,
        problem: `${KEY[key]} = ${JSON.stringify(desired[key])}: nothing is deployed yet, and a first deployment starts in normal operation: ${asConfig(first, desired)} (a failed-over or later-generation first run would build a promoted database with no source).${orOverride}`,
      };
    }
    case "unreadable":
      return {
        allowed: false,
        problem: `${OVERRIDE_KEY}: the deployed stack's outputs cannot be read (${deployed.why}), so no move can be checked.${orOverride}`,
      };
    case "partial": {
      // Only normal operation at a known generation is safe to assume: failed over, the failback
      // step is unknown (a run at none would lift a fence, drop a seeding successor), and at an
      // unknown generation a run may name a database that is not the serving one.
      const key: StateKey | undefined =
        deployed.failover || desired.failover !== deployed.failover
          ? "failover"
          : desired.tier !== deployed.tier
            ? "tier"
            : desired.failback !== "none"
              ? "failback"
              : desired.generation !== deployed.generation
                ? "generation"
                : undefined;
      if (key === undefined) return { allowed: true };
      const keep = deployed.failover
        ? "none: failed over, its failback step is unknown"
        : deployed.generation === undefined
          ? "none: its generation is unknown"
          : `one that keeps dr:tier=${deployed.tier} dr:failover=false dr:failback=none dr:database.generation=${deployed.generation} (it publishes the state; then make the move)`;
      return {
        allowed: false,
        problem: `${KEY[key]} = ${JSON.stringify(desired[key])}: the deployed stack has no readable DR state (${deployed.why}); it is read as ${describeDeployed(deployed)}, and the only run allowed without the override is ${keep} (docs/deployed-state.md#stacks-without-the-state).${orOverride}`,
      };
    }
    case "known": {
      const from = deployed.state;
      if (sameMovable(from, desired)) return { allowed: true };
      const options = nextStates(from, profiles);
      if (options.some((o) => sameMovable(o, desired)))
        return { allowed: true };
      // Name a key on which the desired state differs from the nearest allowed one.
      const distance = (o: DrState) =>
        MOVABLE.filter((k) => o[k] !== desired[k]).length;
      const nearest = [...options, from].sort(
        (a, b) => distance(a) - distance(b),
      )[0];
      const key = MOVABLE.find((k) => nearest[k] !== desired[k]) ?? "failback";
      const choices = options.map((o) => asConfig(o, from)).join("; or ");
      return {
        allowed: false,
        problem: `${KEY[key]} = ${JSON.stringify(desired[key])}: refused from the deployed state (${describeState(from)}); one run makes one move, and from there it may set ${choices || "nothing but what is deployed"} (${runbookSection(from, profiles)}).${orOverride}`,
      };
    }
  }
}
