// Proves a refactoring changed nothing that is deployed: evaluates every shipped environment in
// every state (tier x failover, each failback step, generation 2, the optional features) with the
// program of a base commit and with the working tree's, and compares each state's resources (URN,
// type, parent, provider, region, resource options, inputs), outputs, warnings and refusals.
//
//   node tools/same-plans.mjs [<base-commit>]     (default: HEAD)
//
// The base commit is checked out in a git worktree under the system's temp folder and bundled
// there with its own build script; both sides run `plan --json` exactly as users do. Fields the
// base's plan contract does not have (new resource options) are compared only where both have them.
// Exit 0 when every state is the same, 1 with each difference otherwise; it also counts the states
// whose plan --json is the same JSON as it stands (resource and key order too, whitespace aside).
import { execFileSync, execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const base = execFileSync("git", ["rev-parse", process.argv[2] ?? "HEAD"], {
  cwd: root,
  encoding: "utf8",
}).trim();

const TIERS = [
  "backup-restore",
  "pilot-light",
  "warm-standby",
  "active-active",
];
const ENVIRONMENTS = ["dev", "staging", "prod"];
/** Every state a user can configure: tier x failover, failback steps, the next generation. */
const STATES = TIERS.flatMap((tier) => {
  const t = `dr:tier=${tier}`;
  const steps =
    tier === "backup-restore"
      ? [["dr:failover=true", "dr:failback=release"]]
      : [
          ["dr:failover=true", "dr:failback=reseed"],
          ["dr:failover=false", "dr:failback=promote"],
          ["dr:database.generation=2"],
          ["dr:database.generation=2", "dr:failover=true"],
          [
            "dr:database.generation=2",
            "dr:failover=true",
            "dr:failback=reseed",
          ],
          ["dr:database.generation=2", "dr:failback=promote"],
        ];
  return [
    [t, "dr:failover=false"],
    [t, "dr:failover=true"],
    ...steps.map((s) => [t, ...s]),
    // Optional features that are off in the shipped stacks.
    [t, 'dr:gameDay={"enabled":true}', "dr:sessionTable=true"],
    [t, "dr:failover=true", "dr:sessionTable=true"],
    [t, 'dr:regionSwitch={"enabled":false}'],
  ];
});

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
  const cache = path.join(dir, ".same-plans");
  fs.mkdirSync(cache, { recursive: true });
  const file = path.join(
    cache,
    `${stack}-${overrides.join(" ").replace(/[^A-Za-z0-9=.-]+/g, "_")}.json`,
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

const baseDir = worktree();
execFileSync("node", ["tools/build.mjs"], { cwd: baseDir, stdio: "inherit" });
const workingDir = snapshot();

const jobs = ENVIRONMENTS.flatMap((stack) =>
  STATES.map((overrides) => ({ stack, overrides })),
);
const differences = [];
let same = 0;
let refused = 0;
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
fs.rmSync(workingDir, { recursive: true, force: true });
process.exitCode = differences.length ? 1 : 0;
