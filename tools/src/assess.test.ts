import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import program = require("@aws-dr/stacks");
import { ConfigError } from "@aws-dr/model";
import { ProgramError } from "@aws-dr/testing";
import { evaluate } from "./testing/cached-evaluate";
import { PROD_ON_RDS } from "./testing/prod-on-rds";
import { ASSESS_USAGE, runAssess } from "./assess";

// With a price table, assess plans each tier: each plan evaluated once per test run.
const fixturePrices = {
  pricesDir: path.join(__dirname, "fixtures"),
  evaluator: evaluate,
};
const noPrices = { pricesDir: path.join(__dirname, "no-such-dir") };

describe("assess", () => {
  it("estimates all four tiers with the stack's settings and passes when the configured tier meets its targets", async () => {
    const { code, stdout, stderr } = await runAssess(
      ["--stack", "staging", "--json"],
      program,
      noPrices,
    );
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
      ["pilot-light", 15, 13.5],
      ["warm-standby", 15, 10.5],
      ["active-active", 15, 10.5],
    ]);
  });

  it("shows each estimate's formula and parts, and says how to get prices when there is no table", async () => {
    const { stdout } = await runAssess(
      ["--stack", "staging"],
      program,
      noPrices,
    );
    expect(stdout).toContain(
      "RTO 13.5 min = detection + decision (excluded) + failover pulumi up + max(database, compute, fence) + DNS TTL",
    );
    expect(stdout).toContain(
      "RPO 15 min = max(replica lag alarm threshold + lag alarm window, S3 replication (RTC))",
    );
    expect(stdout).toContain(
      "replica lag alarm threshold: 5 min (dr:alerts.replicaLagMinutes; normal cross-region lag, assumed at most 1 min, stays below it)",
    );
    expect(stdout).toContain(
      "lag alarm window: 5 min (60 s period x 5 breaching periods before the alarm fires)",
    );
    expect(stdout).toContain(
      "fence: primary record off: 2 min (Route 53's data plane",
    );
    expect(stdout).toContain(
      "database promotion: 5 min (replica promoted, nothing else changed)",
    );
    expect(stdout).toContain(
      "then: resize step (dr:failoverStep=resize): +10 min after service is back, not counted (db.t4g.micro -> db.t4g.small, Multi-AZ and backups as the primary's; writes stop ~5 min while RDS restarts it, so run it in a quiet hour)",
    );
    expect(stdout).toContain(
      "No price table in tools/prices: `npm run prices`",
    );
  });

  it("shows every tier's monthly cost side by side, with the table's date and source", async () => {
    const { stdout } = await runAssess(
      ["--stack", "prod", "--json"],
      program,
      fixturePrices,
    );
    const result = JSON.parse(stdout) as {
      prices: { date: string; source: string };
      tiers: {
        tier: string;
        monthlyUsd: { total: number; unpriced: string[] };
      }[];
    };
    expect(result.prices.date).toBe("2000-01-01");
    const totals = result.tiers.map((t) => t.monthlyUsd.total);
    // Each tier runs more in the recovery region than the one before (prod: 3 instances a site,
    // a 1-instance warm standby).
    for (let i = 1; i < totals.length; i++)
      expect(totals[i]).toBeGreaterThan(totals[i - 1]);
    // Everything but the air-gapped vaults' storage, which no Price List query reads yet.
    for (const t of result.tiers)
      expect(t.monthlyUsd.unpriced).toEqual([
        "isolated copies in isolated-vault (one full copy of the database) (us-east-1)",
        "isolated copies in recovery-isolated-vault (one full copy of the database) (us-west-2)",
      ]);
    const text = (await runAssess(["--stack", "prod"], program, fixturePrices))
      .stdout;
    expect(text).toContain("Prices of 2000-01-01 (test fixture");
    expect(text).toMatch(/\| USD per month\n/);
  });

  it("exits 1 naming the part that breaks a target the configured tier misses, as the program's own refusal does", async () => {
    const overrides = ["dr:targets.rtoMinutes=10"];
    const { code, stderr } = await runAssess(
      ["--stack", "staging", ...overrides.flatMap((o) => ["--config", o])],
      program,
      noPrices,
    );
    expect(code).toBe(1);
    expect(stderr).toBe(
      "dr:targets.rtoMinutes = 10: cannot be met at pilot-light: the estimate is 13.5 min (detection + decision (excluded) + failover pulumi up + max(database, compute, fence) + DNS TTL), and compute: launch from zero alone takes 8 min (fleet at 0); choose a higher dr:tier, change that part or raise the target (npm run assess)",
    );
    const refusal = (await evaluate(program, "staging", overrides).catch(
      (e: unknown) => e,
    )) as ProgramError;
    expect(refusal.cause).toBeInstanceOf(ConfigError);
    expect((refusal.cause as ConfigError).message).toContain(stderr);
  });

  it("exits 2 for a bad stack or bad config, printing nothing on stdout", async () => {
    expect(
      await runAssess(["--stack", "nope"], program, noPrices),
    ).toMatchObject({
      code: 2,
      stdout: "",
    });
    expect(
      await runAssess(
        ["--stack", "dev", "--config", "dr:tier=gold"],
        program,
        noPrices,
      ),
    ).toMatchObject({
      code: 2,
      stdout: "",
      stderr: expect.stringContaining('dr:tier = "gold"'),
    });
  });
});

describe("assess, account compromise", () => {
  it("shows the isolated copy's recovery point and time as a row of its own, apart from the tiers' regional-outage estimates", async () => {
    const assessed = async (...config: string[]) =>
      JSON.parse(
        (
          await runAssess(
            [
              "--stack",
              "prod",
              ...config.flatMap((c) => ["--config", c]),
              "--json",
            ],
            program,
            noPrices,
          )
        ).stdout,
      ) as {
        tiers: { rpo: { minutes: number } }[];
        accountCompromise: {
          rpo: { minutes: number; formula: string };
          rto: { minutes: number; parts: { name: string; why: string }[] };
        };
      };
    // prod as shipped: on Aurora, shared with its recovery account.
    const result = await assessed();
    // Hourly backups plus the copy job; a restore in the recovery account, from the shared vault.
    expect(result.accountCompromise.rpo).toMatchObject({
      minutes: 120,
      formula: "backup interval + copy to the air-gapped vault",
    });
    // 70 from the vault + 15 for the restored cluster's instance + 15 snapshot + max(30 stack,
    // 40 its restore) + 1 DNS.
    expect(result.accountCompromise.rto.minutes).toBe(141);
    expect(result.accountCompromise.rto.parts.map((p) => p.name)).toEqual([
      "database restore from the air-gapped vault",
      "snapshot of the restored database",
      "the new stack's database restore",
      "stack in the recovery account",
      "DNS",
    ]);
    // The tiers' objectives stay what they were: the replica tiers' 15 min survive a region only.
    expect(result.tiers.map((t) => t.rpo.minutes)).toEqual([120, 15, 15, 15]);
    // On RDS a restored instance serves at once.
    expect((await assessed(PROD_ON_RDS)).accountCompromise.rto.minutes).toBe(
      126,
    );

    const { stdout } = await runAssess(
      ["--stack", "prod", "--config", "dr:backup.isolatedCopy={}"],
      program,
      noPrices,
    );
    expect(stdout).toContain("isolated copy (air-gapped vault) | 120 | 201");
    expect(stdout).toContain(
      "sharing the vault first: 60 min (assumed, and only with AWS's multi-party approval set up outside the stack",
    );
    const dev = await runAssess(["--stack", "dev"], program, noPrices);
    expect(dev.stdout).toContain(
      "no isolated copy (dr:backup.isolatedCopy unset) | - | -",
    );
  });
});

describe("assess command line", () => {
  it.each([[["--help"]], [["-h"]], [["-s", "nope", "--json", "--help"]]])(
    "prints its usage on stdout and exits 0, assessing nothing: %j",
    async (argv) => {
      expect(await runAssess(argv, program, noPrices)).toEqual({
        code: 0,
        stdout: ASSESS_USAGE,
        stderr: "",
      });
      expect(ASSESS_USAGE).toMatch(/-s, --stack <env>/);
      expect(ASSESS_USAGE).toMatch(/--out <file>/);
    },
  );

  it("takes -s for --stack", async () => {
    const short = await runAssess(
      ["-s", "staging", "--json"],
      program,
      noPrices,
    );
    expect(short.code).toBe(0);
    expect(short).toEqual(
      await runAssess(["--stack", "staging", "--json"], program, noPrices),
    );
  });

  it("writes with --out exactly the JSON stdout would print, also when a target is missed (exit 1)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assess-out-"));
    try {
      const file = path.join(dir, "assess.json");
      const argv = ["-s", "staging", "--config", "dr:targets.rtoMinutes=10"];
      const printed = await runAssess([...argv, "--json"], program, noPrices);
      expect(printed.code).toBe(1);
      expect(
        await runAssess([...argv, "--json", "--out", file], program, noPrices),
      ).toEqual({ code: 1, stdout: `wrote ${file}`, stderr: printed.stderr });
      const text = fs.readFileSync(file, "utf8");
      expect(text).toBe(`${printed.stdout}\n`);
      expect(JSON.parse(text)).toEqual(JSON.parse(printed.stdout));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names an unknown option before its usage (exit 2)", async () => {
    expect(
      await runAssess(["-s", "staging", "--jsno"], program, noPrices),
    ).toEqual({
      code: 2,
      stdout: "",
      stderr: `unknown option --jsno\n${ASSESS_USAGE}`,
    });
  });
});
