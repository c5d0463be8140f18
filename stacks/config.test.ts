import * as pulumi from "@pulumi/pulumi";
import {
  ConfigError,
  databaseBackupRetentionDays,
  decodeConfigValue,
  parseConfig as parseWith,
} from "@aws-dr/model";
import { STACK_SCHEMA } from "./settings";
import { MINIMAL_KEYS } from "./test-config";

/** The program's own schema: shared keys, tier profiles, tier and operation keys. */
const parseConfig = (raw: Record<string, unknown>, secretKeys: string[] = []) =>
  parseWith(raw, STACK_SCHEMA, { secretKeys });

const valid = MINIMAL_KEYS;

function problemsOf(
  raw: Record<string, unknown>,
  secretKeys: string[] = [],
): string[] {
  try {
    parseConfig(raw, secretKeys);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("config was accepted");
}

describe("parseConfig", () => {
  it("applies defaults to a minimal config", () => {
    const cfg = parseConfig(valid);
    expect(cfg.failover).toBe(false);
    expect(cfg.protectData).toBe(false);
    expect(cfg.app).toMatchObject({
      minSize: 2,
      maxSize: 4,
      port: 80,
      healthCheckPath: "/health",
    });
    expect(cfg.network).toMatchObject({
      primaryCidr: "10.0.0.0/16",
      recoveryCidr: "10.1.0.0/16",
      natGateways: "single",
    });
    expect(cfg.database).toMatchObject({ engineVersion: "16", multiAz: true });
    expect(cfg.failback).toBe("none");
    expect(cfg.logs.retentionDays).toBe(90);
    expect(cfg.alerts.email).toBeUndefined();
    expect(cfg.backup).toMatchObject({
      retentionDays: 35,
      copyRetentionDays: 35,
      continuousBackup: true,
    });
    expect(cfg.backup.vaultLock).toBeUndefined();
    // No isolated copy and no Audit Manager unless asked for: both need the account's setup.
    expect(cfg.backup.isolatedCopy).toBeUndefined();
    expect(cfg.backup.audit.configRecorder).toBe(false);
    expect(cfg.backup.restoreTesting.selectionWindowDays).toBe(7);
    expect(cfg.targets).toEqual({ rtoMinutes: 240, rpoMinutes: 1500 });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["unknown tier", { tier: "gold" }, 'dr:tier = "gold"'],
    ["missing tier", { tier: undefined }, "dr:tier = (not set)"],
    ["misspelt top-level key", { teir: "pilot-light" }, "dr:teir: unknown key"],
    [
      "misspelt nested key",
      { app: { ...valid.app, minSzie: 1 } },
      "dr:app.minSzie: unknown key",
    ],
    [
      "equal regions",
      { recoveryRegion: "us-east-1" },
      'dr:recoveryRegion = "us-east-1": must differ from dr:primaryRegion',
    ],
    [
      "malformed region",
      { primaryRegion: "us-east" },
      'dr:primaryRegion = "us-east": must be an AWS region code',
    ],
    [
      "negative capacity",
      { app: { ...valid.app, minSize: -1 } },
      "dr:app.minSize = -1",
    ],
    [
      "min above max",
      { app: { ...valid.app, minSize: 5, maxSize: 3 } },
      "dr:app.minSize = 5: must not exceed dr:app.maxSize (3)",
    ],
    [
      "fractional capacity",
      { app: { ...valid.app, maxSize: 2.5 } },
      "dr:app.maxSize = 2.5",
    ],
    [
      "malformed AMI",
      { app: { amiId: "ubuntu" } },
      'dr:app.amiId = "ubuntu": must be an AMI id',
    ],
    [
      "malformed CIDR",
      { network: { ...valid.network, primaryCidr: "10.0.0.0/33" } },
      'dr:network.primaryCidr = "10.0.0.0/33"',
    ],
    [
      "unaligned CIDR",
      { network: { ...valid.network, primaryCidr: "10.0.1.0/16" } },
      'dr:network.primaryCidr = "10.0.1.0/16"',
    ],
    [
      "overlapping CIDRs",
      {
        network: {
          ...valid.network,
          primaryCidr: "10.0.0.0/16",
          recoveryCidr: "10.0.128.0/17",
        },
      },
      "dr:network.recoveryCidr",
    ],
    [
      "malformed cron",
      { backup: { schedule: "0 5 * * *" } },
      'dr:backup.schedule = "0 5 * * *": must be an AWS cron expression',
    ],
    [
      "cron with both day fields",
      { backup: { schedule: "cron(0 5 * * * *)" } },
      "dr:backup.schedule",
    ],
    [
      "cron hour out of range",
      { backup: { schedule: "cron(0 25 ? * * *)" } },
      "dr:backup.schedule",
    ],
    [
      "RDS retention over 35 days",
      { database: { backupRetentionDays: 40 } },
      "dr:database.backupRetentionDays = 40",
    ],
    [
      "vault lock grace under 3 days",
      {
        backup: {
          vaultLock: {
            minRetentionDays: 7,
            maxRetentionDays: 90,
            changeableForDays: 1,
          },
        },
      },
      "dr:backup.vaultLock.changeableForDays = 1: must be at least 3",
    ],
    [
      "retention outside the vault lock",
      {
        backup: {
          retentionDays: 400,
          vaultLock: {
            minRetentionDays: 7,
            maxRetentionDays: 365,
            changeableForDays: 3,
          },
        },
      },
      "dr:backup.retentionDays = 400: must lie within",
    ],
    [
      "cold storage without 90 days after",
      { backup: { coldStorageAfterDays: 30, retentionDays: 60 } },
      "dr:backup.retentionDays = 60: must be at least dr:backup.coldStorageAfterDays + 90",
    ],
    [
      "an air-gapped vault under AWS's 7-day minimum",
      { backup: { isolatedCopy: { minRetentionDays: 5 } } },
      "dr:backup.isolatedCopy.minRetentionDays = 5: must be at least 7",
    ],
    [
      "isolated copies kept shorter than the air-gapped vault accepts",
      { backup: { isolatedCopy: { retentionDays: 3, minRetentionDays: 7 } } },
      "dr:backup.isolatedCopy.retentionDays = 3: must lie within the air-gapped vault's 7..3650 days",
    ],
    [
      "an air-gapped vault's range upside down",
      {
        backup: {
          isolatedCopy: { minRetentionDays: 90, maxRetentionDays: 30 },
        },
      },
      "dr:backup.isolatedCopy.minRetentionDays = 90: must not exceed dr:backup.isolatedCopy.maxRetentionDays (30)",
    ],
    [
      "a recovery account id that is not one",
      { backup: { isolatedCopy: { shareWithAccountId: "12345" } } },
      'dr:backup.isolatedCopy.shareWithAccountId = "12345": must be a 12-digit AWS account id',
    ],
    [
      "restore-test window over 365 days",
      { backup: { restoreTesting: { selectionWindowDays: 400 } } },
      "dr:backup.restoreTesting.selectionWindowDays = 400",
    ],
    [
      "backups rarer than the RPO target",
      {
        backup: { schedule: "cron(0 5 ? * * *)" },
        targets: { rpoMinutes: 60 },
      },
      "dr:targets.rpoMinutes = 60: cannot be met at backup-restore: the estimate is 1500 min (max(backup interval + cross-region copy delay, S3 replication (RTC))), and backup interval alone takes 1440 min",
    ],
    [
      "backups more often than AWS allows",
      {
        backup: { schedule: "cron(*/15 * ? * * *)" },
        targets: { rpoMinutes: 60 },
      },
      "must run at most hourly",
    ],
    [
      "an RTO target the tier cannot meet",
      { targets: { rtoMinutes: 15 } },
      "dr:targets.rtoMinutes = 15: cannot be met at backup-restore: the estimate is 45.5 min",
    ],
    ["failover not a boolean", { failover: "yes" }, 'dr:failover = "yes"'],
    [
      "unknown NAT strategy",
      { network: { ...valid.network, natGateways: "two" } },
      'dr:network.natGateways = "two"',
    ],
    [
      "no zones for a region",
      { network: { primaryZones: ["us-east-1a", "us-east-1b"] } },
      "dr:network.recoveryZones = (not set)",
    ],
    [
      "zones of the other region",
      {
        network: {
          ...valid.network,
          recoveryZones: ["us-east-1a", "us-east-1b"],
        },
      },
      'dr:network.recoveryZones = ["us-east-1a","us-east-1b"]: must be distinct availability zone names of us-west-2',
    ],
    [
      "a zone listed twice",
      {
        network: {
          ...valid.network,
          primaryZones: ["us-east-1a", "us-east-1a"],
        },
      },
      "dr:network.primaryZones",
    ],
    [
      "a single zone",
      { network: { ...valid.network, primaryZones: ["us-east-1a"] } },
      'dr:network.primaryZones = ["us-east-1a"]: must list at least 2',
    ],
    [
      "database retention that AWS Backup would override",
      { database: { backupRetentionDays: 7 } },
      "dr:database.backupRetentionDays = 7: must be unset or 35 while dr:backup.continuousBackup is on",
    ],
    [
      "a failback step while not failed over",
      { failback: "release" },
      'dr:failback = "release": is a step taken at dr:tier backup-restore with dr:failover true',
    ],
    [
      "a standby failback step at backup-restore",
      { failover: true, failback: "reseed" },
      'dr:failback = "reseed": is a step taken at dr:tier pilot-light, warm-standby, active-active with dr:failover true',
    ],
    [
      "promoting the successor while still failed over",
      { tier: "pilot-light", failover: true, failback: "promote" },
      'dr:failback = "promote": is a step taken at dr:tier pilot-light, warm-standby, active-active with dr:failover false',
    ],
    [
      "database generation zero",
      { database: { generation: 0 } },
      "dr:database.generation = 0",
    ],
    [
      "a malformed alert address",
      { alerts: { email: "oncall" } },
      'dr:alerts.email = "oncall": must be an email address',
    ],
    [
      "log retention of zero days",
      { logs: { retentionDays: 0 } },
      "dr:logs.retentionDays = 0",
    ],
    [
      "half a DNS config",
      { dns: { zoneId: "Z0123456789ABC" } },
      "dr:dns.recordName = (not set)",
    ],
  ])("rejects %s, naming the key and value", (_label, override, expected) => {
    const problems = problemsOf({ ...valid, ...override });
    expect(problems.join("\n")).toContain(expected);
  });

  it("accepts copies kept shorter than cold storage + 90 days: copies never go cold", () => {
    const cfg = parseConfig({
      ...valid,
      backup: {
        coldStorageAfterDays: 30,
        retentionDays: 365,
        copyRetentionDays: 35,
      },
    });
    expect(cfg.backup.copyRetentionDays).toBe(35);
  });

  it("reports every bad key in one error", () => {
    const problems = problemsOf({
      ...valid,
      tier: "gold",
      primaryRegion: "mars-1",
      app: { amiId: "x", minSize: -2 },
    });
    expect(problems.map((p) => p.split(" ")[0])).toEqual(
      expect.arrayContaining([
        "dr:tier",
        "dr:primaryRegion",
        "dr:app.amiId",
        "dr:app.minSize",
      ]),
    );
  });

  it("says which keys are allowed where an unknown one appears", () => {
    expect(problemsOf({ ...valid, teir: "x" })[0]).toMatch(
      /allowed here: tier, failover, failoverStep, primaryRegion/,
    );
  });

  it("never prints the database password", () => {
    const problems = problemsOf({ ...valid, databasePassword: "short/pw" }, [
      "databasePassword",
    ]);
    expect(problems.join("\n")).toContain("dr:databasePassword = [secret]");
    expect(problems.join("\n")).not.toContain("short/pw");
  });

  it("refuses HTTPS in one region only: the app's URL would change scheme on failover", () => {
    const arn = `arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555`;
    expect(
      problemsOf({ ...valid, app: { ...valid.app, certificateArn: arn } }),
    ).toEqual([
      "dr:app.recoveryCertificateArn = (not set): must be set too when dr:app.certificateArn is: both sites serve HTTPS, or neither",
    ]);
  });

  it("refuses a region outside the commercial partition, whose ARNs the program cannot build", () => {
    expect(problemsOf({ ...valid, recoveryRegion: "us-gov-west-1" })).toEqual([
      'dr:recoveryRegion = "us-gov-west-1": is not an AWS region of the commercial partition the AWS provider knows (see `aws account list-regions`)',
    ]);
  });

  it("refuses a well-formed region the AWS provider does not know", () => {
    expect(problemsOf({ ...valid, recoveryRegion: "us-west-3" })).toEqual([
      'dr:recoveryRegion = "us-west-3": is not an AWS region of the commercial partition the AWS provider knows (see `aws account list-regions`)',
    ]);
  });

  it("refuses a certificate of another region than its load balancer's", () => {
    const arn = (region: string) =>
      `arn:aws:acm:${region}:123456789012:certificate/11111111-2222-3333-4444-555555555555`;
    expect(
      problemsOf({
        ...valid,
        app: {
          ...valid.app,
          certificateArn: arn("us-west-2"),
          recoveryCertificateArn: arn("us-west-2"),
        },
      }),
    ).toEqual([
      `dr:app.certificateArn = "${arn("us-west-2")}": must be a certificate of us-east-1, where its load balancer runs; this one is in us-west-2`,
    ]);
  });

  const PLAIN_TEXT_PASSWORD =
    "dr:databasePassword = [secret]: must be set with `pulumi config set --secret`; a plain-text value sits readable in the stack file";

  it("takes a database password Pulumi holds as a secret", () => {
    const cfg = parseConfig(
      { ...valid, databasePassword: "a-long-enough-password" },
      ["databasePassword"],
    );
    expect(cfg.databasePassword).toBe("a-long-enough-password");
  });

  it("refuses a database password set in plain text, without printing it", () => {
    const problems = problemsOf({
      ...valid,
      databasePassword: "a-long-enough-password",
    });
    expect(problems).toEqual([PLAIN_TEXT_PASSWORD]);
    expect(problems.join("\n")).not.toContain("a-long-enough-password");
  });

  it("reports a plain-text password in the same error as the other problems", () => {
    const problems = problemsOf(
      { ...valid, primaryRegion: "mars-1", databasePassword: "short-pw" },
      ["tier"],
    );
    expect(problems).toEqual([
      expect.stringContaining('dr:primaryRegion = "mars-1"'),
      expect.stringContaining(
        "dr:databasePassword = [secret]: must be at least",
      ),
      PLAIN_TEXT_PASSWORD,
    ]);
    expect(problems.join("\n")).not.toContain("short-pw");
  });

  it("raises a RunError, which Pulumi prints without a stack trace", () => {
    expect(() => parseConfig({})).toThrow(pulumi.RunError);
    expect(() => parseConfig({})).toThrow(
      /^Invalid stack configuration:\n {2}- dr:tier = \(not set\)/,
    );
  });
});

describe("databaseBackupRetentionDays", () => {
  it.each([
    [{ continuousBackup: true, retentionDays: 14 }, undefined, 14],
    [{ continuousBackup: true, retentionDays: 400 }, undefined, 35],
    [{ continuousBackup: false, retentionDays: 400 }, undefined, 7],
    [{ continuousBackup: false, retentionDays: 400 }, 3, 3],
  ])(
    "lets AWS Backup own the database's retention while continuous backup is on (%j, set %s)",
    (backup, set, expected) => {
      const cfg = parseConfig({
        ...valid,
        backup,
        database: set === undefined ? {} : { backupRetentionDays: set },
      });
      expect(databaseBackupRetentionDays(cfg)).toBe(expected);
    },
  );
});

describe("decodeConfigValue", () => {
  it.each([
    ["true", true],
    ["3", 3],
    ['{"amiId":"ami-1"}', { amiId: "ami-1" }],
    ["us-east-1", "us-east-1"],
  ])("decodes %s", (input, expected) => {
    expect(decodeConfigValue(input)).toEqual(expected);
  });
});

describe("dr:failback", () => {
  it("is refused in the wrong state together with every other problem, in one message", () => {
    const problems = problemsOf({
      ...valid,
      failback: "promote",
      recoveryRegion: "us-east-1",
    });
    expect(problems).toEqual([
      'dr:recoveryRegion = "us-east-1": must differ from dr:primaryRegion',
      expect.stringMatching(
        /^dr:network\.recoveryZones = .*must be distinct availability zone names of us-east-1/,
      ),
      'dr:failback = "promote": is a step taken at dr:tier pilot-light, warm-standby, active-active with dr:failover false; set it back to "none" (docs/runbooks/backup-restore.md#failback)',
    ]);
  });
});
