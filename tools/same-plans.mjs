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
// Exit 0 when every state is the same, 1 with each difference otherwise.
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

const TIERS = ["backup-restore", "pilot-light", "warm-standby", "active-active"];
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
          ["dr:database.generation=2", "dr:failover=true", "dr:failback=reseed"],
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

/** The parts of a plan that a deployment acts on, in the fields both commits record. */
function comparable(result, fields) {
  if (result.code !== 0) return { code: result.code, stderr: result.stderr };
  const { resources, outputs, warnings, tier, failover } = result.plan;
  return {
    tier,
    failover,
    resources: resources.map((r) =>
      Object.fromEntries(fields.map((f) => [f, r[f]])),
    ),
    outputs,
    warnings,
  };
}

const baseDir = worktree();
for (const dir of [baseDir, root])
  execFileSync("node", ["tools/build.mjs"], { cwd: dir, stdio: "inherit" });

const jobs = ENVIRONMENTS.flatMap((stack) =>
  STATES.map((overrides) => ({ stack, overrides })),
);
const differences = [];
let same = 0;
let refused = 0;
async function worker() {
  for (let job = jobs.shift(); job; job = jobs.shift()) {
    const [before, after] = await Promise.all([
      plan(baseDir, job.stack, job.overrides),
      plan(root, job.stack, job.overrides),
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
  `${same} of ${same + differences.length} states plan the same as ${base.slice(0, 12)} (${refused} of them refused by config the same way)`,
);
for (const d of differences) console.log(d);
process.exitCode = differences.length ? 1 : 0;
