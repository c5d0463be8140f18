// `npm run bench`: how long `plan` takes per environment compared with merely loading
// @pulumi/pulumi and @pulumi/aws, each measured as a fresh process (median of several runs).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./stack-config";

const RUNS = 5;

function medianSeconds(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const stacks = fs
  .readdirSync(path.join(REPO_ROOT, "stacks"))
  .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
  .map((f) => f.slice(7, -5));
const load = medianSeconds([
  "-e",
  "require('@pulumi/pulumi'); require('@pulumi/aws')",
]);
console.log(
  `load @pulumi/pulumi + @pulumi/aws: ${load.toFixed(2)} s (median of ${RUNS})`,
);
let failed = false;
for (const stack of stacks) {
  const plan = medianSeconds([
    path.join(REPO_ROOT, "dist", "plan.js"),
    "--stack",
    stack,
    "--json",
  ]);
  const ratio = plan / load;
  const ok = plan < 3 && ratio < 2;
  failed ||= stack === "prod" && !ok;
  console.log(
    `plan ${stack.padEnd(8)} ${plan.toFixed(2)} s  ${ratio.toFixed(2)}x load  ${ok ? "ok" : "OVER TARGET (3 s, 2x)"}`,
  );
}
process.exitCode = failed ? 1 : 0;
