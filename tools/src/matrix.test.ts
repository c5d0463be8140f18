import program = require("@aws-dr/stacks");
import type { Plan } from "./evaluate";
import { evaluate, runCli } from "./testing/cached-evaluate";
import { matrixProblems } from "./matrix";

describe("the transition matrix", () => {
  let normal: Plan;
  let failover: Plan;
  beforeAll(async () => {
    normal = await evaluate(program, "prod");
    failover = await evaluate(program, "prod", ["dr:failover=true"]);
  });

  it("finds a move that deletes primary data, a failover that touches the primary region, and changed primary data", () => {
    const withoutDataBucket: Plan = {
      ...failover,
      resources: failover.resources
        .filter((r) => r.name !== "primary-data")
        .map((r) =>
          r.name === "primary-endpoints-writer"
            ? { ...r, inputs: { ...r.inputs, insecureValue: "elsewhere" } }
            : r,
        ),
    };
    const problems = matrixProblems([normal, withoutDataBucket]);
    expect(problems.dataAtRisk).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^active-active -> active-active\+failover: primary-data /,
        ),
      ]),
    );
    expect(problems.failoverTouchesPrimary).toEqual(
      expect.arrayContaining([
        "active-active -> active-active+failover: primary-endpoints-writer",
      ]),
    );
    expect(problems.primaryDataChanged).toEqual(["active-active+failover"]);
    expect(problems.primarySiteUrns).toEqual(["active-active+failover"]);
  });

  it("runs from the command line in one process: plan --matrix", async () => {
    const { code, stdout } = await runCli(
      ["--stack", "staging", "--matrix"],
      program,
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      "stack staging: 6 states, 30 moves planned and checked for data, 11 of them allowed from the deployed state",
    );
    // One short line per reason, naming every state it refuses; one per refused move.
    expect(stdout).toContain(
      "\n  refused by config: backup-restore, backup-restore+failover: dr:targets.rpoMinutes = 15: cannot be met at backup-restore\n",
    );
    expect(stdout).toContain(
      '\n  refused: pilot-light -> warm-standby+failover: dr:tier = "warm-standby" (docs/runbooks/pilot-light.md#failover)\n',
    );
    const refusedLines = stdout
      .split("\n")
      .filter((l) => l.startsWith("  refused"));
    expect(new Set(refusedLines).size).toBe(refusedLines.length);
    expect(Math.max(...refusedLines.map((l) => l.length))).toBeLessThan(160);
    expect(stdout).toContain("no move replaces or loses data");
  });
});
