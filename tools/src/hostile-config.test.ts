// Hostile config through the real command line: every bad input is refused with exit code 2, one
// ConfigError naming the key on stderr, nothing on stdout, no stack trace, nothing registered.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ProgramError, runProgram } from "@aws-dr/testing";
import { ConfigError } from "@aws-dr/model";
import program = require("@aws-dr/stacks");
import { evaluate, runCli } from "./testing/cached-evaluate";
import {
  readStack,
  readStackFile,
  secretKeysAfter,
  UsageError,
} from "./stack-config";

/** [what is wrong, --config overrides on stack dev (backup-restore, us-east-1 -> us-west-2), key named] */
const HOSTILE: [string, string[], string][] = [
  // Wrong types.
  ["a word for a number", ["dr:app.minSize=two"], "dr:app.minSize"],
  ["a fraction for an integer", ["dr:app.port=80.5"], "dr:app.port"],
  ["a word for a boolean", ["dr:failover=yes"], "dr:failover"],
  ["a number for a boolean", ["dr:protectData=1"], "dr:protectData"],
  [
    "a string for a zone list",
    ["dr:network.primaryZones=us-east-1a"],
    "dr:network.primaryZones",
  ],
  ["a string for an object", ["dr:app=ami-0123456789abcdef0"], "dr:app"],
  ["a list for a string", ['dr:app.amiId=["ami-1"]'], "dr:app.amiId"],
  // Instance families no list knows (packages/model/src/instance-types.ts).
  [
    "an EC2 instance family that does not exist",
    ["dr:app.instanceType=t9.huge"],
    "dr:app.instanceType",
  ],
  [
    "an RDS instance class family that does not exist",
    ["dr:database.instanceClass=db.q7g.large"],
    "dr:database.instanceClass",
  ],
  // Unknown keys.
  ["a misspelt top-level key", ["dr:teir=pilot-light"], "dr:teir"],
  ["a misspelt nested key", ["dr:app.minsize=1"], "dr:app.minsize"],
  [
    "an unknown key two levels down",
    ["dr:backup.restoreTesting.scheduel=cron(0 8 ? * SAT *)"],
    "dr:backup.restoreTesting.scheduel",
  ],
  ["an unknown tier key", ["dr:warmStandby.size=2"], "dr:warmStandby.size"],
  [
    "an unknown pilot-light key",
    ["dr:pilotLight.instanceClass=db.t4g.micro"],
    "dr:pilotLight.instanceClass",
  ],
  // Empty strings.
  ["an empty tier", ["dr:tier="], "dr:tier"],
  ["an empty AMI id", ["dr:app.amiId="], "dr:app.amiId"],
  ["an empty region", ["dr:primaryRegion="], "dr:primaryRegion"],
  ["an empty database name", ["dr:database.dbName="], "dr:database.dbName"],
  [
    "an empty restore snapshot",
    ["dr:database.restoreSnapshot="],
    "dr:database.restoreSnapshot",
  ],
  // Regions and zones.
  ["a made-up region name", ["dr:primaryRegion=mars-1"], "dr:primaryRegion"],
  [
    "a well-formed region that does not exist",
    ["dr:recoveryRegion=us-east-3"],
    "dr:recoveryRegion",
  ],
  [
    "an upper-case region",
    ["dr:recoveryRegion=US-WEST-2"],
    "dr:recoveryRegion",
  ],
  [
    "the same region twice",
    [
      "dr:recoveryRegion=us-east-1",
      'dr:network.recoveryZones=["us-east-1c","us-east-1d"]',
    ],
    "dr:recoveryRegion",
  ],
  [
    "zones of another region",
    ['dr:network.recoveryZones=["us-east-1a","us-east-1b"]'],
    "dr:network.recoveryZones",
  ],
  [
    "a zone listed twice",
    ['dr:network.primaryZones=["us-east-1a","us-east-1a"]'],
    "dr:network.primaryZones",
  ],
  [
    "a single zone",
    ['dr:network.primaryZones=["us-east-1a"]'],
    "dr:network.primaryZones",
  ],
  // Networks.
  [
    "overlapping VPC CIDRs",
    ["dr:network.recoveryCidr=10.10.128.0/17"],
    "dr:network.recoveryCidr",
  ],
  [
    "a /24 VPC",
    ["dr:network.primaryCidr=10.10.0.0/24"],
    "dr:network.primaryCidr",
  ],
  [
    "an unaligned CIDR",
    ["dr:network.primaryCidr=10.10.1.0/16"],
    "dr:network.primaryCidr",
  ],
  [
    "an unknown NAT layout",
    ["dr:network.natGateways=none"],
    "dr:network.natGateways",
  ],
  // Capacities.
  [
    "app min above max",
    ["dr:app.minSize=5", "dr:app.maxSize=3"],
    "dr:app.minSize",
  ],
  ["a negative fleet", ["dr:app.minSize=-1"], "dr:app.minSize"],
  [
    "warm standby always-on fleet above the primary's maximum",
    ["dr:tier=warm-standby", "dr:warmStandby.minSize=3", "dr:app.maxSize=2"],
    "dr:warmStandby.minSize",
  ],
  [
    "a game day outside us-east-1, where its stop alarm cannot watch the recovery site",
    [
      "dr:tier=warm-standby",
      "dr:primaryRegion=eu-west-1",
      'dr:network.primaryZones=["eu-west-1a","eu-west-1b"]',
      "dr:gameDay.enabled=true",
    ],
    "dr:gameDay.enabled",
  ],
  [
    "a warm standby of zero instances",
    ["dr:tier=warm-standby", "dr:warmStandby.minSize=0"],
    "dr:warmStandby.minSize",
  ],
  [
    "storage ceiling below the allocation",
    [
      "dr:database.allocatedStorageGb=200",
      "dr:database.maxAllocatedStorageGb=100",
    ],
    "dr:database.maxAllocatedStorageGb",
  ],
  [
    "CPU target out of range",
    ["dr:app.cpuTargetPercent=95"],
    "dr:app.cpuTargetPercent",
  ],
  // Retention.
  [
    "zero backup retention",
    ["dr:backup.retentionDays=0"],
    "dr:backup.retentionDays",
  ],
  [
    "negative copy retention",
    ["dr:backup.copyRetentionDays=-7"],
    "dr:backup.copyRetentionDays",
  ],
  ["zero log retention", ["dr:logs.retentionDays=0"], "dr:logs.retentionDays"],
  [
    "a database retention AWS Backup owns",
    ["dr:database.backupRetentionDays=7"],
    "dr:database.backupRetentionDays",
  ],
  [
    "vault lock min above max",
    [
      'dr:backup.vaultLock={"minRetentionDays":30,"maxRetentionDays":7,"changeableForDays":3}',
    ],
    "dr:backup.vaultLock.minRetentionDays",
  ],
  [
    "a vault lock shorter than the retention",
    [
      'dr:backup.vaultLock={"minRetentionDays":7,"maxRetentionDays":10,"changeableForDays":3}',
    ],
    "dr:backup.retentionDays",
  ],
  [
    "a vault lock grace time under 3 days",
    [
      'dr:backup.vaultLock={"minRetentionDays":7,"maxRetentionDays":30,"changeableForDays":1}',
    ],
    "dr:backup.vaultLock.changeableForDays",
  ],
  [
    "cold storage too close to deletion",
    ["dr:backup.coldStorageAfterDays=1"],
    "dr:backup.retentionDays",
  ],
  [
    "noncurrent versions expiring before they reach Glacier",
    ["dr:backup.backupBucket.noncurrentExpireDays=7"],
    "dr:backup.backupBucket.noncurrentExpireDays",
  ],
  // Schedules.
  [
    "a cron without cron()",
    ["dr:backup.schedule=0 5 * * *"],
    "dr:backup.schedule",
  ],
  ["hour 25", ["dr:backup.schedule=cron(0 25 ? * * *)"], "dr:backup.schedule"],
  [
    "both day fields set",
    ["dr:backup.schedule=cron(0 5 * * * *)"],
    "dr:backup.schedule",
  ],
  [
    "a malformed restore test schedule",
    ["dr:backup.restoreTesting.schedule=weekly"],
    "dr:backup.restoreTesting.schedule",
  ],
  [
    "backups more often than hourly",
    ["dr:backup.schedule=cron(0/15 * ? * * *)"],
    "dr:backup.schedule",
  ],
  // DNS and health checks.
  [
    "a record name without a zone",
    ['dr:dns={"recordName":"app.example.com"}'],
    "dr:dns.zoneId",
  ],
  [
    "a zone without a record name",
    ['dr:dns={"zoneId":"Z0123"}'],
    "dr:dns.recordName",
  ],
  [
    "an upper-case record name",
    ['dr:dns={"zoneId":"Z0123","recordName":"App.Example.com"}'],
    "dr:dns.recordName",
  ],
  [
    "a health check every 20 seconds",
    ["dr:healthCheck.intervalSeconds=20"],
    "dr:healthCheck.intervalSeconds",
  ],
  [
    "a failure threshold of zero",
    ["dr:healthCheck.failureThreshold=0"],
    "dr:healthCheck.failureThreshold",
  ],
  [
    "a health check path without /",
    ["dr:app.healthCheckPath=health"],
    "dr:app.healthCheckPath",
  ],
  // Failover, failback, tiers and targets.
  ["release while not failed over", ["dr:failback=release"], "dr:failback"],
  [
    "reseed at backup-restore",
    ["dr:failover=true", "dr:failback=reseed"],
    "dr:failback",
  ],
  [
    "reseed before the failover's resize step",
    ["dr:tier=warm-standby", "dr:failover=true", "dr:failback=reseed"],
    "dr:failback",
  ],
  [
    "promote while failed over",
    ["dr:tier=pilot-light", "dr:failover=true", "dr:failback=promote"],
    "dr:failback",
  ],
  ["an unknown failback step", ["dr:failback=rollback"], "dr:failback"],
  [
    "an RTO backup-restore cannot meet",
    ["dr:targets.rtoMinutes=30"],
    "dr:targets.rtoMinutes",
  ],
  [
    "an RPO under S3 RTC's 15 minutes at a replica tier",
    ["dr:tier=pilot-light", "dr:targets.rpoMinutes=10"],
    "dr:targets.rpoMinutes",
  ],
  [
    "an RTO warm standby cannot meet",
    ["dr:tier=warm-standby", "dr:targets.rtoMinutes=5"],
    "dr:targets.rtoMinutes",
  ],
  [
    "an RPO the daily backup cannot meet",
    ["dr:targets.rpoMinutes=60"],
    "dr:targets.rpoMinutes",
  ],
  ["a zero RPO", ["dr:targets.rpoMinutes=0"], "dr:targets.rpoMinutes"],
  ["an unknown tier", ["dr:tier=gold"], "dr:tier"],
  // Weights are checked at every tier, not only at the one that reads them.
  ...(
    [
      ["a weight above 255", "300", "1", "dr:dns.weights.primary"],
      ["a negative weight", "80", "-1", "dr:dns.weights.recovery"],
      ["a fractional weight", "0.5", "1", "dr:dns.weights.primary"],
      ["weights that are all zero", "0", "0", "dr:dns.weights"],
    ] as const
  ).map(([what, primary, recovery, key]): [string, string[], string] => [
    what,
    [
      "dr:dns.zoneId=Z0123",
      "dr:dns.recordName=app.example.com",
      `dr:dns.weights.primary=${primary}`,
      `dr:dns.weights.recovery=${recovery}`,
    ],
    key,
  ]),
  [
    "database generation zero",
    ["dr:database.generation=0"],
    "dr:database.generation",
  ],
  // Secrets, identities and names.
  [
    "the database password in plain text",
    ["dr:databasePassword=a-long-enough-password"],
    "dr:databasePassword",
  ],
  [
    "a bad alert email",
    ["dr:alerts.email=oncall-at-example.com"],
    "dr:alerts.email",
  ],
  ["a malformed AMI id", ["dr:app.amiId=ami-XYZ"], "dr:app.amiId"],
  [
    "HTTPS in the primary region only",
    [
      "dr:app.certificateArn=arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
    ],
    "dr:app.recoveryCertificateArn",
  ],
  [
    "a certificate of the other region",
    [
      "dr:app.certificateArn=arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555",
    ],
    "dr:app.certificateArn",
  ],
  [
    "a recovery certificate of the primary region",
    [
      "dr:app.recoveryCertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
    ],
    "dr:app.recoveryCertificateArn",
  ],
  [
    "an unsupported engine version",
    ["dr:database.engineVersion=13"],
    "dr:database.engineVersion",
  ],
  [
    "a bad instance class",
    ["dr:database.instanceClass=t4g.medium"],
    "dr:database.instanceClass",
  ],
  [
    "a bad replica instance class",
    ["dr:pilotLight.replicaInstanceClass=large"],
    "dr:pilotLight.replicaInstanceClass",
  ],
  [
    "a game day longer than an hour",
    ["dr:tier=warm-standby", "dr:gameDay.durationMinutes=90"],
    "dr:gameDay.durationMinutes",
  ],
  [
    "a bad active-active replica class",
    ["dr:tier=active-active", "dr:activeActive.replicaInstanceClass=big"],
    "dr:activeActive.replicaInstanceClass",
  ],
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("instance types and classes", () => {
  it("refuses an unknown family with the nearest known one, and warns of an unlisted size with the nearest size", async () => {
    const family = await runCli(
      ["--stack", "dev", "--config", "dr:app.instanceType=t9.huge"],
      program,
    );
    expect(family.stderr).toContain(
      'dr:app.instanceType = "t9.huge": no EC2 instance family "t9" is known: did you mean t2.large?',
    );
    const size = await runCli(
      ["--stack", "dev", "--config", "dr:database.instanceClass=db.t4g.mcro"],
      program,
    );
    expect(size.code).toBe(0);
    expect(size.stderr).toContain(
      'warning: dr:database.instanceClass = "db.t4g.mcro": no such size of db.t4g is listed: did you mean db.t4g.micro?',
    );
    // Prod's class (db.r7g, which the provider's own enumeration lacks) and the shipped stacks'
    // values are all known: no warning.
    for (const stack of ["dev", "staging", "prod"]) {
      const { stderr } = await runCli(["--stack", stack], program);
      expect([stack, stderr]).not.toEqual([
        stack,
        expect.stringContaining("no such size"),
      ]);
    }
  });
});

describe("a stack file that is not YAML", () => {
  it("exits 2 naming the file and the line", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-yaml-"));
    fs.mkdirSync(path.join(root, "stacks"));
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.bad.yaml"),
      "config:\n  dr:tier: pilot-light\n  dr:app: [unclosed\n",
    );
    // A UsageError: the command line exits 2 with it, as for bad config.
    const thrown = (() => {
      try {
        readStack("bad", root);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(
      /^stacks\/Pulumi\.bad\.yaml:\d+:\d+: not valid YAML: Flow sequence/,
    );
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("hostile config through the command line", () => {
  it("covers at least 30 bad inputs", () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE)(
    "refuses %s (%j) naming %s",
    async (_what, overrides, key) => {
      const argv = [
        "--stack",
        "dev",
        ...overrides.flatMap((o) => ["--config", o]),
      ];
      const { code, stdout, stderr } = await runCli(argv, program);
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toMatch(/^Invalid stack configuration:\n {2}- /);
      // A problem line starts with the key: "  - dr:app.minSize = ..." or "  - dr:teir: unknown key".
      expect(stderr).toMatch(new RegExp(`^ {2}- ${escape(key)}( = |: )`, "m"));
      expect(stderr).not.toMatch(/^ {4}at /m);
      // The same overrides: one ConfigError, thrown before the program registered anything.
      const thrown = await evaluate(program, "dev", overrides).catch(
        (e: unknown) => e,
      );
      expect(thrown).toBeInstanceOf(ProgramError);
      expect((thrown as ProgramError).cause).toBeInstanceOf(ConfigError);
      expect((thrown as ProgramError).recorder.resources).toHaveLength(0);
    },
  );

  it("never prints a plain-text database password", async () => {
    const { stderr } = await runCli(
      [
        "--stack",
        "dev",
        "--config",
        "dr:databasePassword=a-long-enough-password",
      ],
      program,
    );
    expect(stderr).toContain(
      "dr:databasePassword = [secret]: must be set with `pulumi config set --secret`; a plain-text value sits readable in the stack file",
    );
    expect(stderr).not.toContain("a-long-enough-password");
  });

  it("takes a `secure:` password from the stack file as a secret, and a --config one as plain text", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"));
    fs.mkdirSync(path.join(root, "stacks"));
    const dev = fs.readFileSync(
      path.join(__dirname, "..", "..", "stacks", "Pulumi.dev.yaml"),
      "utf8",
    );
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.secure.yaml"),
      `${dev}  dr:databasePassword:\n    secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBB\n`,
    );
    const { config, secretKeys } = readStack("secure", root);
    expect(secretKeys).toEqual(["dr:databasePassword"]);
    expect(readStackFile("secure", root)).toEqual(config);
    const { recorder } = await runProgram(
      program,
      "aws-dr",
      "secure",
      config,
      secretKeys,
    );
    expect(recorder.one("aws:rds/instance:Instance").inputs.password).toBe(
      "[secret]",
    );
    const overrides = ["dr:databasePassword=another-long-password"];
    expect(secretKeysAfter(secretKeys, overrides)).toEqual([]);
    expect(secretKeysAfter(secretKeys, ["dr:tier=pilot-light"])).toEqual(
      secretKeys,
    );
    fs.rmSync(root, { recursive: true });
  });
});
