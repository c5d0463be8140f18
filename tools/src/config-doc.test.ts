import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  parseConfig,
  TIERS,
  tiersUsing,
  unusedSharedKeys,
  type DrConfig,
} from "@aws-dr/model";
import { phaseOf, STACK_SCHEMA } from "@aws-dr/stacks/settings";
import {
  BEGIN,
  CONFIG_DOC,
  CONFIG_DOC_USAGE,
  configKeys,
  embedReference,
  END,
  renderReference,
  runConfigDoc,
} from "./config-doc";

const docs = configKeys();
const byKey = new Map(docs.map((d) => [d.key, d]));

describe("docs/config.md, the reference of every dr: key", () => {
  it("is current (else: npm run config-doc)", () => {
    const file = fs.readFileSync(CONFIG_DOC, "utf8");
    expect(embedReference(file, renderReference(docs))).toBe(file);
  });

  it("has the schema's own description for every key, nested ones included", () => {
    expect(docs.filter((d) => !d.meaning).map((d) => `dr:${d.key}`)).toEqual(
      [],
    );
    // Every top-level key, shared and tier keys, and a few nested ones are there.
    for (const key of [
      "tier",
      "app.minSize",
      "backup.vaultLock.changeableForDays",
      "dns.weights.recovery",
      "warmStandby.minSize",
      "regionSwitch.manualApproval",
      ...Object.keys(STACK_SCHEMA.keys),
    ])
      expect(byKey.has(key)).toBe(true);
  });

  it("states types, defaults and allowed values from the schema", () => {
    expect(byKey.get("tier")).toMatchObject({
      type: "string",
      default: "required",
      allowed:
        "`backup-restore`, `pilot-light`, `warm-standby`, `active-active`",
    });
    expect(byKey.get("app.minSize")).toMatchObject({
      type: "integer",
      default: "`2`",
      allowed: "0 to 100",
    });
    expect(byKey.get("healthCheck.intervalSeconds")).toMatchObject({
      type: "integer",
      default: "`30`",
      allowed: "`10`, `30`",
    });
    expect(byKey.get("network.primaryZones")).toMatchObject({
      type: "list of strings",
      default: "required",
      allowed: "2 to 4 items",
    });
    expect(byKey.get("primaryRegion")?.allowed).toContain("such as us-east-1");
    expect(byKey.get("app.amiId")?.allowed).toBe(
      "an AMI id such as ami-0123456789abcdef0",
    );
    expect(byKey.get("database.restoreSnapshot")?.default).toBe("unset");
    expect(byKey.get("backup")?.default).toBe("its keys' defaults");
    expect(byKey.get("failback")?.allowed).toContain(
      "`release` (backup-restore; with dr:failover true)",
    );
  });

  it("names the tiers that read each tier and operation key, as tiersUsing says", () => {
    for (const key of Object.keys(STACK_SCHEMA.keys)) {
      const used = tiersUsing(STACK_SCHEMA.profiles, key);
      for (const d of docs.filter(
        (d) => d.key === key || d.key.startsWith(`${key}.`),
      ))
        expect([d.key, d.tiers]).toEqual([d.key, used]);
    }
    expect(byKey.get("app.minSize")?.tiers).toEqual([...TIERS]);
  });

  it("names for dr:dns.weights the tiers where validation does not warn that it is unused", () => {
    const reading = TIERS.filter(
      (tier) =>
        unusedSharedKeys(
          {
            tier,
            dns: {
              zoneId: "Z1",
              recordName: "a.example.com",
              weights: { primary: 1, recovery: 1 },
            },
          } as DrConfig,
          STACK_SCHEMA.profiles,
        ).length === 0,
    );
    expect(byKey.get("dns.weights")?.tiers).toEqual(reading);
    expect(byKey.get("dns.weights.primary")?.tiers).toEqual(reading);
  });

  it("names for dr:database.restoreSnapshot the tiers whose failover restores it", () => {
    const restoring = TIERS.filter((tier) => {
      const cfg = parseConfig(
        {
          tier,
          failover: true,
          primaryRegion: "us-east-1",
          recoveryRegion: "us-west-2",
          app: { amiId: "ami-0123456789abcdef0" },
          network: {
            primaryZones: ["us-east-1a", "us-east-1b"],
            recoveryZones: ["us-west-2a", "us-west-2b"],
          },
          database: { restoreSnapshot: "snapshot-named-in-config" },
        },
        STACK_SCHEMA,
        { checkTargets: false },
      );
      return JSON.stringify(phaseOf(cfg)).includes("snapshot-named-in-config");
    });
    expect(byKey.get("database.restoreSnapshot")?.tiers).toEqual(restoring);
  });
});

describe("npm run config-doc's command line", () => {
  it.each([[["--help"]], [["-h"]]])(
    "prints its usage on stdout and exits 0, writing nothing: %j",
    (argv) => {
      const before = fs.readFileSync(CONFIG_DOC, "utf8");
      expect(runConfigDoc(argv, "/no/such/file.md")).toEqual({
        code: 0,
        stdout: CONFIG_DOC_USAGE,
        stderr: "",
      });
      expect(fs.readFileSync(CONFIG_DOC, "utf8")).toBe(before);
    },
  );

  it("names an unknown option or argument before its usage (exit 2)", () => {
    expect(runConfigDoc(["--out", "x"], "/no/such/file.md")).toEqual({
      code: 2,
      stdout: "",
      stderr: `unknown option --out\n${CONFIG_DOC_USAGE}`,
    });
    expect(runConfigDoc(["x"], "/no/such/file.md")).toEqual({
      code: 2,
      stdout: "",
      stderr: `unexpected argument "x"\n${CONFIG_DOC_USAGE}`,
    });
  });

  it("writes the reference into the file it is given", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-doc-"));
    try {
      const file = path.join(dir, "config.md");
      fs.writeFileSync(file, `# keys\n\n${BEGIN}\nOLD REFERENCE\n${END}\n`);
      const result = runConfigDoc([], file);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).toMatch(/: \d+ keys$/);
      expect(fs.readFileSync(file, "utf8")).toBe(
        embedReference(fs.readFileSync(file, "utf8"), renderReference(docs)),
      );
      expect(fs.readFileSync(file, "utf8")).not.toContain("OLD REFERENCE");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
