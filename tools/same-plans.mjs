// Proves a refactoring changed nothing that is deployed: evaluates every shipped environment
// (stacks/Pulumi.<env>.yaml) in every state with the program of a base commit and with the working
// tree's, and compares each state's resources (URN, type, parent, provider, region, resource
// options, inputs), outputs, warnings and refusals.
//
//   node tools/same-plans.mjs [<base-commit>]     (default: HEAD)
//
// The states are not restated here: they come from the working tree's tier profiles
// (stacks/profiles.ts, bundled on the fly). For each environment and tier: the normal state, then
// each run of the tier's runbook for the environment's database engine (recoveryOf(profile,
// engine).recoverySteps, each step's `set` applied on top of the one before, as the transition
// matrix walks it), walked twice in a row so the second walk is the next generation's failover and
// failback (a runbook that raises no generation, backup-restore's or Aurora's, is walked the second
// time from the next generation, as a stack reaches it from a replica tier); then the optional
// features that are off in the shipped stacks. The walk starts from the state the program publishes
// for the normal state (its engine, generation, failover step and failback). An environment whose
// dr:targets a tier cannot meet plans that tier with each missed target raised to the estimate
// its refusal states, so the tier's states are planned rather than refused (the shipped targets'
// refusal is compared too). Both sides plan exactly this list; it prints how many states planned
// and each refused one with its reason. It refuses (exit 1) when the base's runbooks differ from
// the working tree's: the states one side reaches would go unplanned. The base's plans are cached
// per set of installed dependencies (node_modules/.package-lock.json).
//
// The base commit is checked out in a git worktree under the system's temp folder and bundled
// there with its own build script; both sides run `plan --json` exactly as users do. Fields the
// base's plan contract does not have (new resource options) are compared only where both have them.
// Exit 0 when every state is the same, 1 with each difference otherwise; it also counts the states
// whose plan --json is the same JSON as it stands (resource and key order too, whitespace aside).
import { execFileSync, execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { npmExternals } from "./esbuild-externals.mjs";

const run = promisify(execFile);
const sha = (text) =>
  crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const base = execFileSync("git", ["rev-parse", process.argv[2] ?? "HEAD"], {
  cwd: root,
  encoding: "utf8",
}).trim();

function worktree() {
  const dir = path.join(os.tmpdir(), `aws-dr-base-${base.slice(0, 12)}`);
  if (!fs.existsSync(dir)) {
    execFileSync("git", ["worktree", "add", "--detach", dir, base], {
      cwd: root,
      stdio: "ignore",
    });
  }
  const modules = path.join(dir, "node_modules");
  if (!fs.existsSync(modules))
    fs.symlinkSync(path.join(root, "node_modules"), modules);
  return dir;
}

/** The base commit's plans, kept beside its worktree: the base never changes. */
async function basePlan(dir, stack, overrides) {
  // Per set of installed dependencies: the worktree shares the root's node_modules, so after an
  // npm ci the base's plans must be made again with what the working tree now runs on too.
  const cache = path.join(dir, `.same-plans-${DEPENDENCIES}`);
  fs.mkdirSync(cache, { recursive: true });
  // Keyed by the whole state, hashed: the readable part alone maps different values (JSON ones)
  // to one name, and names of an older state list must not answer for a new state.
  const key = sha(JSON.stringify([stack, overrides]));
  const file = path.join(
    cache,
    `${stack}-${overrides
      .join(" ")
      .replace(/[^A-Za-z0-9=.-]+/g, "_")
      .slice(0, 160)}-${key}.json`,
  );
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  const result = await plan(dir, stack, overrides);
  fs.writeFileSync(file, JSON.stringify(result));
  return result;
}

async function plan(cwd, stack, overrides) {
  const args = ["dist/plan.js", "--stack", stack, "--json"];
  for (const o of overrides) args.push("--config", o);
  try {
    const { stdout } = await run("node", args, {
      cwd,
      maxBuffer: 64 << 20,
    });
    return { code: 0, plan: JSON.parse(stdout) };
  } catch (err) {
    return { code: err.code, stderr: err.stderr };
  }
}

/** JSON with sorted keys: the order objects were built in is not something a deployment acts on. */
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  return value;
}

/**
 * The parts of a plan that a deployment acts on, in the fields both commits record: resources by
 * URN (registration order is not deployed; dependencies decide the engine's order), outputs,
 * warnings, or the refusal.
 */
function comparable(result, fields) {
  if (result.code !== 0) return { code: result.code, stderr: result.stderr };
  const { resources, outputs, warnings, tier, failover } = result.plan;
  return canonical({
    tier,
    failover,
    resources: resources
      .map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])))
      .sort((a, b) => a.urn.localeCompare(b.urn)),
    outputs,
    warnings,
  });
}

/**
 * The working tree's bundles, stack files and replacement table, copied aside: edits made while the comparison runs
 * neither mix into it nor trip the bundle's staleness check.
 */
function snapshot() {
  execFileSync("node", ["tools/build.mjs"], { cwd: root, stdio: "inherit" });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-working-"));
  fs.cpSync(path.join(root, "dist"), path.join(dir, "dist"), {
    recursive: true,
  });
  fs.mkdirSync(path.join(dir, "stacks"));
  for (const f of fs.readdirSync(path.join(root, "stacks")))
    if (/^Pulumi\..*\.yaml$/.test(f))
      fs.copyFileSync(
        path.join(root, "stacks", f),
        path.join(dir, "stacks", f),
      );
  // What the plan bundle reads besides them: the provider's replace-on-change table.
  const table = path.join("tools", "replacements", "replacements.json");
  fs.mkdirSync(path.dirname(path.join(dir, table)), { recursive: true });
  fs.copyFileSync(path.join(root, table), path.join(dir, table));
  fs.symlinkSync(
    path.join(root, "node_modules"),
    path.join(dir, "node_modules"),
  );
  return dir;
}

/**
 * The tier profiles of `sources` (the working tree, or the base's worktree) and how a runbook is
 * read for an engine, bundled into `dir` (where node_modules resolves what the bundle leaves external).
 */
async function runbooks(dir, sources = root) {
  const { build } = await import("esbuild");
  const out = await build({
    stdin: {
      contents: [
        'export { TIER_PROFILES } from "./stacks/profiles";',
        'export { TIERS, recoveryOf } from "@aws-dr/model";',
      ].join("\n"),
      resolveDir: sources,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    logLevel: "warning",
    tsconfig: path.join(sources, "tsconfig.base.json"),
    plugins: [npmExternals],
  });
  const file = path.join(dir, "runbooks.cjs");
  fs.writeFileSync(file, out.outputFiles[0].text);
  return createRequire(file)(file);
}

/** A refusal's reason, first line: the first problem of a config error, under its heading. */
function reasonOf(stderr = "") {
  const lines = String(stderr)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines[0]?.endsWith(":") && lines[1])
    return `${lines[0]} ${lines[1].replace(/^- /, "")}`;
  return lines[0] ?? "(no message)";
}

/**
 * When the refusal is only dr:targets the tier cannot meet: each missed target raised to the
 * estimate the refusal states (whole minutes, rounded up), as overrides; otherwise null.
 */
function raisedTargets(stderr = "") {
  const problems = String(stderr)
    .split("\n")
    .filter((l) => /^\s*- /.test(l));
  const raised = problems.map((l) =>
    /^\s*- dr:targets\.(rtoMinutes|rpoMinutes) = \d+: cannot be met at [\w-]+: the estimate is ([\d.]+) min/.exec(
      l,
    ),
  );
  if (!raised.length || raised.some((m) => !m)) return null;
  return raised.map(
    ([, key, minutes]) => `dr:targets.${key}=${Math.ceil(Number(minutes))}`,
  );
}

/** The overrides that configure a runbook state, against the published normal state it starts from. */
function overridesOf(fixed, start, state) {
  return [
    ...fixed,
    ...(state.generation !== start.generation
      ? [`dr:database.generation=${state.generation}`]
      : []),
    `dr:failover=${state.failover}`,
    ...(state.failoverStep !== start.failoverStep
      ? [`dr:failoverStep=${state.failoverStep}`]
      : []),
    ...(state.failback !== start.failback
      ? [`dr:failback=${state.failback}`]
      : []),
  ];
}

/**
 * One environment's states at one tier: the normal state, the runbook walked twice from it, the
 * optional features. Planned once here (the working tree's program) to read the published state
 * the walk starts from, and to raise targets the tier cannot meet.
 */
async function statesOf(profiles, stack, tier) {
  let fixed = [`dr:tier=${tier}`];
  let normal = await plan(workingDir, stack, [...fixed, "dr:failover=false"]);
  const raise = normal.code !== 0 && raisedTargets(normal.stderr);
  if (raise) {
    fixed = [...fixed, ...raise];
    normal = await plan(workingDir, stack, [...fixed, "dr:failover=false"]);
  }
  // The shipped targets' own refusal is compared too.
  const states = [
    ...(raise ? [[`dr:tier=${tier}`, "dr:failover=false"]] : []),
    [...fixed, "dr:failover=false"],
  ];
  if (normal.code === 0) {
    const { failover, failoverStep, failback, generation, engine } =
      normal.plan.outputs.drState;
    const start = { failover, failoverStep, failback, generation };
    const steps = profiles.recoveryOf(
      profiles.TIER_PROFILES[tier],
      engine,
    ).recoverySteps;
    let state = start;
    const add = () => states.push(overridesOf(fixed, start, state));
    for (let walk = 0; walk < 2; walk++) {
      // A runbook that raises no generation: the second walk is the next generation's.
      if (walk === 1 && state.generation === start.generation) {
        state = { ...state, generation: state.generation + 1 };
        add();
      }
      for (const step of steps) {
        state = {
          ...state,
          ...step.set,
          generation: state.generation + (step.set.generation ?? 0),
        };
        add();
      }
    }
  } else
    notes.push(
      `${stack} ${tier}: its normal state is refused, so its runbook is not walked: ${reasonOf(normal.stderr)}`,
    );
  // Optional features that are off in the shipped stacks.
  states.push(
    // Each alone: a stack may refuse one (staging's region refuses the game day) and not the other.
    [...fixed, 'dr:gameDay={"enabled":true}'],
    [...fixed, "dr:sessionTable=true"],
    [...fixed, "dr:failover=true", "dr:sessionTable=true"],
    [...fixed, 'dr:regionSwitch={"enabled":false}'],
  );
  // A walk that comes back to a state already listed (the normal state) plans it once.
  const seen = new Set();
  return states.filter((s) => {
    const k = s.join(" ");
    return !seen.has(k) && seen.add(k);
  });
}

const baseDir = worktree();
execFileSync("node", ["tools/build.mjs"], { cwd: baseDir, stdio: "inherit" });
const workingDir = snapshot();
const profiles = await runbooks(workingDir);
const notes = [];
// npm writes node_modules/.package-lock.json at each install; without one, the lock file.
const installed = path.join(root, "node_modules", ".package-lock.json");
const DEPENDENCIES = sha(
  fs.readFileSync(
    fs.existsSync(installed) ? installed : path.join(root, "package-lock.json"),
  ),
);

/** What the walk reads of every tier's runbook, on RDS and on Aurora: each run's config. */
const runbooksOf = ({ TIER_PROFILES, recoveryOf }) =>
  JSON.stringify(
    Object.entries(TIER_PROFILES).map(([tier, p]) => [
      tier,
      ...["postgres", "aurora-postgresql"].map((engine) =>
        recoveryOf(p, engine).recoverySteps.map((step) => step.set),
      ),
    ]),
  );
// The states come from the working tree's runbooks: were they changed, a state only the base's
// reach would go unplanned, so the proof would be incomplete. Refuse rather than pass.
if (fs.existsSync(path.join(baseDir, "stacks", "profiles.ts"))) {
  const baseRunbooks = runbooksOf(await runbooks(baseDir, baseDir));
  if (baseRunbooks !== runbooksOf(profiles)) {
    console.log(
      `the tier profiles' runbooks differ between ${base.slice(0, 12)} and the working tree: the states a runbook reaches differ, so no comparison proves nothing deployed changed`,
    );
    fs.rmSync(workingDir, { recursive: true, force: true });
    process.exit(1);
  }
} else
  notes.push(
    `${base.slice(0, 12)} has no stacks/profiles.ts: its runbooks are not compared with the working tree's`,
  );

/** The shipped environments: the working tree's stack files. */
const ENVIRONMENTS = fs
  .readdirSync(path.join(workingDir, "stacks"))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter(Boolean)
  .sort();
const perEnvironment = await Promise.all(
  ENVIRONMENTS.map(async (stack) => ({
    stack,
    states: (
      await Promise.all(
        profiles.TIERS.map((tier) => statesOf(profiles, stack, tier)),
      )
    ).flat(),
  })),
);
console.log(
  `states: ${perEnvironment.map((e) => `${e.stack} ${e.states.length}`).join(", ")}`,
);
for (const n of notes) console.log(n);

const jobs = perEnvironment
  .flatMap(({ stack, states }) =>
    states.map((overrides) => ({ stack, overrides })),
  )
  .map((job, index) => ({ ...job, index }));
const total = jobs.length;
const differences = [];
let same = 0;
let refused = 0;
let planned = 0;
/** Each state the working tree refuses, with its reason's first line. */
const refusals = [];
// Of the same ones, how many are the same plan --json as it stands: resources in the same order,
// every object's keys too (what a program's JSON.stringify of an output would show).
let identical = 0;
async function worker() {
  for (let job = jobs.shift(); job; job = jobs.shift()) {
    const [before, after] = await Promise.all([
      basePlan(baseDir, job.stack, job.overrides),
      plan(workingDir, job.stack, job.overrides),
    ]);
    const fields =
      before.code === 0 && before.plan.resources[0]
        ? Object.keys(before.plan.resources[0])
        : [];
    const a = JSON.stringify(comparable(before, fields), null, 1);
    const b = JSON.stringify(comparable(after, fields), null, 1);
    const name = `${job.stack} ${job.overrides.join(" ")}`;
    if (after.code === 0) planned++;
    else
      refusals.push({
        index: job.index,
        text: `${name}\n  ${reasonOf(after.stderr)}`,
      });
    if (a === b) {
      same++;
      if (before.code !== 0) refused++;
      else if (JSON.stringify(before.plan) === JSON.stringify(after.plan))
        identical++;
      continue;
    }
    const la = a.split("\n");
    const lb = b.split("\n");
    const i = la.findIndex((line, k) => line !== lb[k]);
    differences.push(
      `${name}\n  base:    ${la.slice(Math.max(0, i - 2), i + 3).join(" ")}\n  working: ${lb.slice(Math.max(0, i - 2), i + 3).join(" ")}`,
    );
  }
}
await Promise.all([worker(), worker()]);
console.log(
  `${same} of ${same + differences.length} states plan the same as ${base.slice(0, 12)} (${refused} of them refused by config the same way, ${identical} of the others the same JSON in the same order)`,
);
for (const d of differences) console.log(d);
console.log(
  `${planned} of ${total} states planned by the working tree, ${refusals.length} refused${refusals.length ? ":" : ""}`,
);
for (const r of refusals.sort((x, y) => x.index - y.index)) console.log(r.text);
fs.rmSync(workingDir, { recursive: true, force: true });
process.exitCode = differences.length ? 1 : 0;
