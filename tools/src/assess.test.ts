import program = require("@aws-dr/stacks");
import { ConfigError } from "@aws-dr/core";
import { ProgramError } from "@aws-dr/testing";
import { evaluate } from "./evaluate";
import { runAssess } from "./assess";

describe("assess", () => {
  it("estimates all four tiers with the stack's settings and passes when the configured tier meets its targets", () => {
    const { code, stdout, stderr } = runAssess([
      "--stack",
      "staging",
      "--json",
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const result = JSON.parse(stdout) as {
      tier: string;
      tiers: {
        tier: string;
        rpo: { minutes: number };
        rto: { minutes: number };
      }[];
    };
    expect(result.tier).toBe("pilot-light");
    // Staging: 12-hourly backups, 20 GB, 30 s x 3 checks, a db.t4g.micro replica of a db.t4g.small.
    expect(
      result.tiers.map((t) => [t.tier, t.rpo.minutes, t.rto.minutes]),
    ).toEqual([
      ["backup-restore", 780, 45.5],
      ["pilot-light", 15, 20.5],
      ["warm-standby", 15, 10.5],
      ["active-active", 15, 10.5],
    ]);
  });

  it("shows each estimate's formula and parts", () => {
    const { stdout } = runAssess(["--stack", "staging"]);
    expect(stdout).toContain(
      "RTO 20.5 min = detection + failover pulumi up + max(database, compute) + DNS TTL",
    );
    expect(stdout).toContain(
      "database promotion and resize: 15 min (promoted, then db.t4g.micro -> db.t4g.small)",
    );
  });

  it("exits 1 naming the part that breaks a target the configured tier misses, as the program's own refusal does", async () => {
    const overrides = ["dr:targets.rtoMinutes=15"];
    const { code, stderr } = runAssess([
      "--stack",
      "staging",
      ...overrides.flatMap((o) => ["--config", o]),
    ]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "dr:targets.rtoMinutes = 15: cannot be met at pilot-light: the estimate is 20.5 min (detection + failover pulumi up + max(database, compute) + DNS TTL), and database promotion and resize alone takes 15 min; choose a higher dr:tier, change that part or raise the target (npm run assess)",
    );
    const refusal = (await evaluate(program, "staging", overrides).catch(
      (e: unknown) => e,
    )) as ProgramError;
    expect(refusal.cause).toBeInstanceOf(ConfigError);
    expect((refusal.cause as ConfigError).message).toContain(stderr);
  });

  it("exits 2 for a bad stack or bad config, printing nothing on stdout", () => {
    expect(runAssess(["--stack", "nope"])).toMatchObject({
      code: 2,
      stdout: "",
    });
    expect(
      runAssess(["--stack", "dev", "--config", "dr:tier=gold"]),
    ).toMatchObject({
      code: 2,
      stdout: "",
      stderr: expect.stringContaining('dr:tier = "gold"'),
    });
  });
});
