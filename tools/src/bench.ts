// `npm run bench`: how long `npm run plan` takes per environment (and prod at each standby tier)
// compared with merely loading @pulumi/pulumi, @pulumi/aws and @pulumi/awsx, each measured as a
// fresh process (median of several runs). Target: prod under 2x.
import { execFileSync } from "node:child_process";
import { REPO_ROOT, stackNames } from "./stack-config";

const RUNS = 5;

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

function medianSeconds(command: string, args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    execFileSync(command, args, {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const load = medianSeconds(process.execPath, [
  "-e",
  "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/awsx')",
]);
console.log(
  `load @pulumi/pulumi + @pulumi/aws + @pulumi/awsx: ${load.toFixed(2)} s (median of ${RUNS})`,
);
// What a user runs, npm's start-up and the bundle check included: every stack as shipped, and
// prod at each standby tier.
const cases: [string, string[]][] = [
  ...stackNames().map((stack): [string, string[]] => [stack, []]),
  ["prod", ["--config", "dr:tier=pilot-light"]],
  ["prod", ["--config", "dr:tier=warm-standby"]],
];
let failed = false;
for (const [stack, overrides] of cases) {
  const plan = medianSeconds(NPM, [
    "run",
    "--silent",
    "plan",
    "--",
    "--stack",
    stack,
    ...overrides,
    "--json",
  ]);
  const ratio = plan / load;
  const ok = ratio < 2;
  failed ||= stack === "prod" && !ok;
  console.log(
    `npm run plan ${[stack, ...overrides.slice(1)].join(" ").padEnd(26)} ${plan.toFixed(2)} s  ${ratio.toFixed(2)}x load  ${ok ? "ok" : "OVER TARGET (2x)"}`,
  );
}
process.exitCode = failed ? 1 : 0;
