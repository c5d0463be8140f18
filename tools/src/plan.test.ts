import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import program = require("@aws-dr/stacks");
import { diffPlans } from "./diff";
import { renderMarkdown, shortValue } from "./render";
import type { Plan } from "./evaluate";
import { runCli as runCliForReal, UNCHECKED_NOTE, USAGE } from "./cli";
import { evaluate, runCli } from "./testing/cached-evaluate";
import { PROD_ON_RDS } from "./testing/prod-on-rds";
import { applyOverrides, REPO_ROOT } from "./stack-config";

const ENVIRONMENTS = ["dev", "staging", "prod"];
/** The tier each shipped environment runs: the highest built toward its target tier. */
const SHIPPED_TIERS: Record<string, string> = {
  dev: "backup-restore",
  staging: "pilot-light",
  prod: "active-active",
};

describe("the program's warnings", () => {
  it("come with the plan and on stderr, not mixed into the run's console", async () => {
    const { code, stderr } = await runCli(
      ["--stack", "staging", "--config", "dr:tier=warm-standby"],
      program,
    );
    expect(code).toBe(0);
    expect(stderr).toBe(
      `warning: dr:pilotLight is set but not used at dr:tier warm-standby (used by pilot-light); it is validated and kept for a switch to those tiers\n${UNCHECKED_NOTE}`,
    );
  });
});

describe("the move from the deployed state", () => {
  const plan = (...argv: string[]) =>
    runCli(["--stack", "staging", ...argv], program);

  it("is checked by --diff from the configured state: the runbook's step-8 slip is refused naming the generation", async () => {
    const slip = await plan(
      "--config",
      "dr:failback=promote",
      "--diff",
      "dr:failback=none",
    );
    expect(slip).toMatchObject({ code: 2, stdout: "" });
    expect(slip.stderr).toMatch(
      /dr:database\.generation = 1: refused from the deployed state \(tier=pilot-light failover=false failoverStep=promote failback=promote generation=1\); one run makes one move, and from there it may set dr:failback=none dr:database\.generation=2 \(docs\/runbooks\/pilot-light\.md#failback-generation\)\. If you know the move is safe .*: dr:overrideDeployedState="tier=pilot-light .* -> tier=pilot-light .*" for this one run/,
    );
    const step = await plan(
      "--config",
      "dr:failback=promote",
      "--diff",
      "dr:failback=none",
      "dr:database.generation=2",
    );
    expect(step.code).toBe(0);
  });

  it("is checked against an earlier plan's outputs with --from and --against", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-from-"));
    const file = path.join(dir, "deployed.json");
    fs.writeFileSync(file, (await plan("--json")).stdout);
    const failover = await plan("--config", "dr:failover=true", "--from", file);
    expect([failover.code, failover.stderr]).toEqual([0, ""]);
    const reseed = await plan(
      "--config",
      "dr:failover=true",
      "--config",
      "dr:failoverStep=resize",
      "--config",
      "dr:failback=reseed",
      "--from",
      file,
    );
    expect(reseed.code).toBe(2);
    expect(reseed.stderr).toMatch(
      /^Invalid stack configuration:\n {2}- dr:failoverStep = "resize": refused from the deployed state .*from there it may set dr:failover=true; or dr:tier=backup-restore/,
    );
    const against = await plan(
      "--against",
      file,
      "--diff",
      "dr:tier=active-active",
      "dr:failover=true",
    );
    expect(against.code).toBe(2);
    expect(against.stderr).toMatch(
      /dr:tier = "active-active": refused from the deployed state \(tier=pilot-light failover=false/,
    );
    fs.rmSync(dir, { recursive: true });
  });
});

describe("plan of the shipped environments", () => {
  it.each(ENVIRONMENTS)(
    "%s plans cleanly with the JSON contract's fields",
    async (stack) => {
      const { code, stdout, stderr } = await runCli(
        ["--stack", stack, "--json"],
        program,
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: UNCHECKED_NOTE });
      const plan = JSON.parse(stdout) as Plan;
      expect(plan).toMatchObject({
        stack,
        tier: SHIPPED_TIERS[stack],
        failover: false,
      });
      expect(plan.outputs).toEqual(
        expect.objectContaining({
          primaryRegion: expect.any(String),
          recoveryRegion: expect.any(String),
          tier: SHIPPED_TIERS[stack],
          failover: false,
          appUrl: expect.any(String),
        }),
      );
      for (const r of plan.resources) {
        expect(Object.keys(r).sort()).toEqual(
          [
            "urn",
            "type",
            "name",
            "parent",
            "provider",
            "region",
            "protect",
            "retainOnDelete",
            "ignoreChanges",
            "propertyDependencies",
            "inputs",
            "dependsOn",
            "deleteBeforeReplace",
            "replaceOnChanges",
            "customTimeouts",
            "aliases",
          ].sort(),
        );
        if (r.type.startsWith("aws:"))
          expect(r.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
      }
    },
  );

  it("is deterministic: two runs of the same config print the same thing", async () => {
    // Two real evaluations (not the tests' shared one).
    const a = await runCliForReal(["--stack", "prod", "--json"], program);
    const b = await runCliForReal(["--stack", "prod", "--json"], program);
    expect(a.stdout).toBe(b.stdout);
  });

  it("protects production data and leaves dev's unprotected", async () => {
    const prod = await evaluate(program, "prod");
    const dev = await evaluate(program, "dev");
    // Every data key and bucket; the alert topics' keys encrypt nothing that outlives a message.
    const dataOf = (plan: Plan) =>
      plan.resources.filter(
        (r) =>
          [
            "aws:rds/instance:Instance",
            "aws:s3/bucket:Bucket",
            "aws:kms/key:Key",
          ].includes(r.type) &&
          !r.name.endsWith("-alerts-key") &&
          // The standby replica's data lives in the primary; a tier downgrade must delete it.
          !r.name.startsWith("recovery-db"),
      );
    expect(dataOf(prod).every((r) => r.protect && r.retainOnDelete)).toBe(true);
    expect(dataOf(dev).some((r) => r.protect)).toBe(false);
  });

  it("locks backups in prod (Vault Lock on both vaults, Object Lock on the backup bucket and the audit reports' bucket; the air-gapped vault is locked by AWS) and not in dev", async () => {
    const locks = (plan: Plan) =>
      plan.resources
        .filter((r) =>
          [
            "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
            "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
          ].includes(r.type),
        )
        .map((r) => [r.type.split(":").pop(), r.region]);
    expect(locks(await evaluate(program, "prod"))).toEqual([
      ["VaultLockConfiguration", "us-east-1"],
      ["VaultLockConfiguration", "us-west-2"],
      ["BucketObjectLockConfiguration", "us-west-2"],
      ["BucketObjectLockConfiguration", "us-east-1"],
    ]);
    expect(locks(await evaluate(program, "dev"))).toEqual([]);
  });

  it("runs a NAT gateway per AZ across three AZs in prod", async () => {
    const vpc = (await evaluate(program, "prod")).resources.find(
      (r) => r.name === "primary-vpc",
    );
    expect(vpc?.inputs).toMatchObject({
      availabilityZoneNames: ["us-east-1a", "us-east-1b", "us-east-1c"],
      natGateways: { strategy: "OnePerAz" },
    });
  });
});

describe("plan command line", () => {
  it.each([
    [["--stack", "dev", "--config", "dr:tier=gold"], 'dr:tier = "gold"'],
    [
      ["--stack", "dev", "--config", "dr:app.minSize=-1"],
      "dr:app.minSize = -1",
    ],
    [["--stack", "nope"], 'no stack "nope"'],
    [["--stakc", "dev"], "--stakc"],
    [
      ["--stack", "dev", "--diff"],
      "--diff needs at least one key=value override",
    ],
    [
      ["--stack", "dev", "--config", "tier=a:b"],
      'an override is namespace:key=value, such as dr:tier=pilot-light; got "tier=a:b"',
    ],
    [["--stack", "--json"], "--stack"],
    [["--stack", "dev", "dr:tier=x"], 'unexpected argument "dr:tier=x"'],
  ])(
    "exits 2 with the problem on stderr and nothing on stdout: %j",
    async (argv, message) => {
      const result = await runCli(argv, program);
      expect(result).toMatchObject({ code: 2, stdout: "" });
      expect(result.stderr).toContain(message);
    },
  );

  it.each([[["--help"]], [["-h"]], [["--stack", "dev", "--json", "-h"]]])(
    "prints its usage on stdout and exits 0, evaluating nothing: %j",
    async (argv) => {
      // The source program is never evaluated: a stack that does not exist is not even read.
      expect(await runCli(argv, program)).toEqual({
        code: 0,
        stdout: USAGE,
        stderr: "",
      });
      expect(await runCli(["-s", "nope", ...argv], program)).toMatchObject({
        code: 0,
      });
    },
  );

  it("names an unknown option, without quotes, before its usage (exit 2)", async () => {
    for (const option of ["--x", "-x", "--stakc"])
      expect(await runCli(["-s", "dev", option], program)).toEqual({
        code: 2,
        stdout: "",
        stderr: `unknown option ${option}\n${USAGE}`,
      });
    expect(USAGE).toMatch(/-s, --stack <env>/);
    expect(USAGE).toMatch(/--out <file>/);
    expect(USAGE).toMatch(/-h, --help/);
  });

  it("takes -s for --stack, as Pulumi and the Nx targets do", async () => {
    expect(await runCli(["-s", "dev", "--json"], program)).toEqual(
      await runCli(["--stack", "dev", "--json"], program),
    );
    expect((await runCli(["-s", "dev"], program)).stdout).toMatch(
      /^stack dev: /,
    );
  });

  it("writes with --out exactly the JSON stdout would print, and says where on stdout", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-out-"));
    try {
      const file = path.join(dir, "plan.json");
      const printed = await runCli(["-s", "dev", "--json"], program);
      const written = await runCli(
        ["-s", "dev", "--json", "--out", file],
        program,
      );
      expect(written).toEqual({
        code: 0,
        stdout: `wrote ${file}`,
        stderr: printed.stderr,
      });
      const text = fs.readFileSync(file, "utf8");
      expect(text).toBe(`${printed.stdout}\n`);
      expect(JSON.parse(text)).toEqual(JSON.parse(printed.stdout));

      // A diff's JSON too, against the plan just written (exit 1 with --fail-on-data-loss: still written).
      const diffFile = path.join(dir, "diff.json");
      const argv = ["-s", "dev", "--diff", "dr:database.dbName=x", "--json"];
      const diff = await runCli([...argv, "--fail-on-data-loss"], program);
      expect(diff.code).toBe(1);
      expect(
        await runCli(
          [...argv, "--fail-on-data-loss", "--out", diffFile],
          program,
        ),
      ).toEqual({ ...diff, stdout: `wrote ${diffFile}` });
      expect(JSON.parse(fs.readFileSync(diffFile, "utf8"))).toEqual(
        JSON.parse(diff.stdout),
      );
      const against = await runCli(
        ["-s", "dev", "--diff", "--against", file, "--json"],
        program,
      );
      expect(JSON.parse(against.stdout)).toMatchObject({ stack: "dev" });

      // Refused input writes nothing; an unwritable file is exit 2 naming it.
      const refused = path.join(dir, "refused.json");
      expect(
        await runCli(["-s", "nope", "--json", "--out", refused], program),
      ).toMatchObject({ code: 2, stdout: "" });
      expect(fs.existsSync(refused)).toBe(false);
      const nowhere = path.join(dir, "no-such-dir", "plan.json");
      const unwritable = await runCli(
        ["-s", "dev", "--json", "--out", nowhere],
        program,
      );
      expect(unwritable).toMatchObject({ code: 2, stdout: "" });
      expect(unwritable.stderr).toContain(`--out ${nowhere}: ENOENT`);
      expect(
        (await runCli(["-s", "dev", "--json", "--out"], program)).stderr,
      ).toMatch(/^--out needs a value\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints a readable resource tree by default", async () => {
    const { stdout } = await runCli(["--stack", "dev"], program);
    expect(stdout).toMatch(
      /^stack dev: tier backup-restore, failover false, \d+ resources/,
    );
    expect(stdout).toMatch(
      /\n {6}aws:rds\/instance:Instance {2}primary-db {2}\[us-east-1\]/,
    );
  });

  it("parses --config values as JSON when they parse, as strings otherwise, and by path", () => {
    const config = applyOverrides({ "dr:app": { amiId: "ami-1" } }, [
      "dr:failover=true",
      "dr:tier=pilot-light",
      "dr:app.minSize=0",
    ]);
    expect(config).toEqual({
      "dr:failover": true,
      "dr:tier": "pilot-light",
      "dr:app": { amiId: "ami-1", minSize: 0 },
    });
  });
});

describe("plan --diff", () => {
  it("lists changed inputs and flags a replaced data resource loudly", async () => {
    const before = await evaluate(program, "dev");
    const after = await evaluate(program, "dev", [
      "dr:database.engineVersion=17",
      "dr:app.instanceType=t3.large",
    ]);
    const diff = diffPlans(before, after);
    expect(diff.changed).toContainEqual(
      expect.objectContaining({
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        changedInputs: ["instanceType"],
      }),
    );
    expect(diff.dataAtRisk).toEqual([]);
  });

  it("flags a database that a config change would replace", async () => {
    const renamed = diffPlans(
      await evaluate(program, "dev"),
      await evaluate(program, "dev", ["dr:database.dbName=other"]),
    );
    expect(renamed.dataAtRisk).toEqual([
      {
        urn: expect.stringContaining("::primary-db"),
        reason: "replaced: dbName changed",
      },
    ]);
  });

  it("turns Object Lock on for the existing backup bucket without putting it at risk", async () => {
    const diff = diffPlans(
      await evaluate(program, "dev"),
      await evaluate(program, "dev", [
        "dr:backup.backupBucket.objectLock=true",
      ]),
    );
    expect(diff.dataAtRisk).toEqual([]);
    expect(diff.added.map((r) => r.name)).toEqual(["backup-object-lock"]);
  });

  it("flags data that loses protect or retainOnDelete", async () => {
    const diff = diffPlans(
      await evaluate(program, "prod"),
      await evaluate(program, "prod", ["dr:protectData=false"]),
    );
    const unguarded = diff.dataAtRisk.filter(
      (d) => d.reason === "loses protect and retainOnDelete",
    );
    expect(unguarded.map((d) => d.urn.split("::").pop()).sort()).toEqual(
      [
        "backup",
        "backup-audit-reports",
        "backup-audit-reports-key",
        "backup-key",
        "primary-data",
        "primary-data-key",
        "primary-db",
        "primary-db-key",
        "primary-logs",
        "primary-vault",
        "primary-vault-key",
        "primary-volumes",
        "recovery-logs",
        "recovery-vault",
        "recovery-vault-key",
        "recovery-volumes",
      ].sort(),
    );
    // The air-gapped vaults are retained on delete even unguarded.
    expect(
      diff.dataAtRisk
        .filter((d) => d.urn.endsWith("isolated-vault"))
        .map((d) => [d.urn.split("::").pop(), d.reason]),
    ).toEqual([
      ["isolated-vault", "loses protect"],
      ["recovery-isolated-vault", "loses protect"],
    ]);
  });

  it("ignores inputs the program tells Pulumi to ignore", async () => {
    const failedOver = ["dr:failover=true"];
    const diff = diffPlans(
      await evaluate(program, "dev", failedOver),
      await evaluate(program, "dev", [
        ...failedOver,
        "dr:database.restoreSnapshot=my-snap",
      ]),
    );
    expect(diff.changed.filter((c) => c.urn.endsWith("::recovery-db"))).toEqual(
      [],
    );
    expect(diff.dataAtRisk).toEqual([]);
  });

  it("says failing back deletes the restored database only after a final snapshot", async () => {
    const diff = diffPlans(
      await evaluate(program, "dev", ["dr:failover=true"]),
      await evaluate(program, "dev"),
    );
    expect(diff.dataAtRisk).toEqual([
      {
        urn: expect.stringContaining("::recovery-db-key"),
        reason: "removed from the stack (retained in AWS: retainOnDelete)",
      },
      {
        urn: expect.stringContaining("::recovery-db"),
        reason:
          "DELETED after a final snapshot (aws-dr-dev-recovery-db-final-from-awsbackup-copy-us-west-2-newest-finished)",
      },
    ]);
  });

  it("writes the diff as a pull-request comment with data at risk in bold", async () => {
    const { code, stdout } = await runCli(
      [
        "--stack",
        "prod",
        "--config",
        PROD_ON_RDS,
        "--diff",
        "dr:database.dbName=other",
        "--markdown",
      ],
      program,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("### `prod`: `dr:database.dbName=other`");
    // It names the state it compares with.
    expect(stdout).toContain(
      `Compared with the stack file with \`${PROD_ON_RDS}\` (tier=active-active failover=false failoverStep=promote failback=none generation=1).`,
    );
    expect(stdout).toContain(
      "0 to add, 0 to remove, 0 to change, 1 to replace, 0 that may be replaced, 1 data resources at risk",
    );
    expect(stdout).toContain(
      "- **primary-db** (`aws:rds/instance:Instance`): **replaced: dbName changed**",
    );
    expect(stdout).toContain(
      '| **replace** | primary-db | `aws:rds/instance:Instance` | <code>dbName: "app" -&gt; "other"</code> |',
    );
  });

  it("fails on data loss only when data would be lost, not when it is snapshotted, retained or unguarded", async () => {
    const run = (...diff: string[]) =>
      runCli(
        ["--stack", "prod", "--diff", ...diff, "--fail-on-data-loss"],
        program,
      );
    const renamed = await runCli(
      [
        ...["--stack", "prod", "--config", PROD_ON_RDS],
        ...["--diff", "dr:database.dbName=other", "--fail-on-data-loss"],
      ],
      program,
    );
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toBe(
      "data loss: primary-db replaced: dbName changed",
    );
    expect((await run("dr:failover=true")).code).toBe(0);
    expect((await run("dr:protectData=false")).code).toBe(0);
    // An air-gapped vault's retention range is fixed at creation: a new range is a new vault.
    const narrowed = await run(
      'dr:backup.isolatedCopy={"retentionDays":35,"minRetentionDays":14}',
    );
    expect(narrowed.code).toBe(1);
    expect(narrowed.stderr).toBe(
      "data loss: isolated-vault replaced: minRetentionDays changed; recovery-isolated-vault replaced: minRetentionDays changed",
    );
  });

  it("compares with a plan made elsewhere, so code changes show as well as config changes", async () => {
    const file = path.join(os.tmpdir(), `aws-dr-base-${process.pid}.json`);
    const base = await evaluate(program, "dev", ["dr:app.maxSize=3"]);
    fs.writeFileSync(file, JSON.stringify(base));
    const { code, stdout } = await runCli(
      ["--stack", "dev", "--diff", "--against", file],
      program,
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      "~ primary-asg (aws:autoscaling/group:Group)\n    maxSize: 3 -> 2",
    );
  });

  it("prints the diff through the command line: short names, each input's values, replacements counted apart", async () => {
    const { code, stdout } = await runCli(
      ["--stack", "dev", "--diff", "dr:app.maxSize=3"],
      program,
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      "~ primary-asg (aws:autoscaling/group:Group)\n    maxSize: 2 -> 3",
    );
    expect(stdout).not.toContain("urn:pulumi:");
    expect(stdout).toMatch(
      /\n0 to add, 0 to remove, 1 to change, 0 to replace, 0 that may be replaced, 0 data resources at risk$/,
    );
    const renamed = await runCli(
      [
        ...["--stack", "prod", "--config", PROD_ON_RDS],
        ...["--diff", "dr:database.dbName=other"],
      ],
      program,
    );
    expect(renamed.stdout).toContain(
      '+- primary-db (aws:rds/instance:Instance) (REPLACED: dbName)\n    dbName: "app" -> "other"',
    );
    expect(renamed.stdout).toMatch(/0 to change, 1 to replace/);
  });

  it("opens awsx's VPC into what it creates: reordering zones replaces subnets, those under the databases as data at risk; appending one only adds", async () => {
    const zones = (...z: string[]) =>
      `dr:network.primaryZones=${JSON.stringify(z)}`;
    const reorder = await runCli(
      [
        "--stack",
        "prod",
        "--diff",
        zones("us-east-1b", "us-east-1a", "us-east-1c"),
        "--fail-on-data-loss",
      ],
      program,
    );
    expect(reorder.code).toBe(1);
    expect(reorder.stdout).toContain(
      '+- primary-vpc-isolated-1 (aws:ec2/subnet:Subnet) (REPLACED: availabilityZone)\n    availabilityZone: "us-east-1a" -> "us-east-1b"',
    );
    expect(reorder.stdout).toContain(
      "+- primary-vpc-1 (aws:ec2/natGateway:NatGateway) (REPLACED: subnetId)",
    );
    expect(reorder.stderr).toMatch(
      /^data loss: primary-vpc-isolated-1 replaced: the network under the databases/,
    );
    // What sits in the replaced subnets follows them (their ids change).
    expect(reorder.stdout).toContain(
      "~ primary-db-subnets (aws:rds/subnetGroup:SubnetGroup)",
    );
    // The third zone keeps its place: nothing of it changes.
    expect(reorder.stdout).not.toContain("primary-vpc-isolated-3");
    const append = await runCli(
      [
        "--stack",
        "prod",
        "--diff",
        zones("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"),
        "--fail-on-data-loss",
      ],
      program,
    );
    expect(append.code).toBe(0);
    expect(append.stdout).toContain(
      "+ primary-vpc-isolated-4 (aws:ec2/subnet:Subnet)",
    );
    // The load balancer's subnets: in place for an ALB (the provider replaces only a network
    // load balancer losing subnets), so "may".
    expect(append.stdout).toContain(
      "~? primary-alb (aws:lb/loadBalancer:LoadBalancer) (MAY BE REPLACED: subnets)",
    );
    expect(append.stdout).toMatch(
      /0 to replace, 1 that may be replaced, 0 data resources at risk$/,
    );
  });

  it("counts an input the provider table leaves undecided as one that may replace", async () => {
    // aws_sns_topic_subscription: its schema was not read, so every input is undecided (the
    // provider replaces on endpoint: an unconfirmed subscription, the pager dark meanwhile).
    const { stdout } = await runCli(
      ["--stack", "prod", "--diff", "dr:alerts.email=other@example.com"],
      program,
    );
    expect(stdout).toContain(
      "~? primary-alerts-email (aws:sns/topicSubscription:TopicSubscription) (MAY BE REPLACED: endpoint)",
    );
    expect(stdout).toMatch(/0 to replace, 2 that may be replaced/);
  });

  it("writes values into the markdown so that none can break out of its cell", () => {
    const diff = {
      added: [],
      removed: [],
      dataAtRisk: [],
      changed: [
        {
          urn: "urn:pulumi:prod::aws-dr::aws:ssm/parameter:Parameter::p",
          type: "aws:ssm/parameter:Parameter",
          changedInputs: ["insecureValue"],
          values: [
            { input: "insecureValue", before: "a|b", after: "`<b>x</b>`" },
          ],
          replacing: [],
          deleteFirst: false,
        },
      ],
    };
    const row = renderMarkdown(diff, "prod", ["x=y"], "the stack file")
      .split("\n")
      .find((l) => l.startsWith("| change"));
    expect(row).toBe(
      '| change | p | `aws:ssm/parameter:Parameter` | <code>insecureValue: "a&#124;b" -&gt; "`&lt;b&gt;x&lt;/b&gt;`"</code> |',
    );
  });

  it("shortens long values in text and keeps them whole in --json", async () => {
    const long = "x".repeat(200);
    const before = await evaluate(program, "dev");
    const after = await evaluate(program, "dev", ["dr:app.maxSize=3"]);
    const diff = diffPlans(before, after);
    const change = diff.changed.find((c) => c.urn.endsWith("::primary-asg"));
    expect(change?.values).toEqual([{ input: "maxSize", before: 2, after: 3 }]);
    expect(shortValue(long)).toHaveLength(60);
    expect(shortValue(long).endsWith("…")).toBe(true);
    const json = await runCli(
      ["--stack", "dev", "--diff", "dr:app.maxSize=3", "--json"],
      program,
    );
    expect(
      (JSON.parse(json.stdout) as { changed: { values: unknown }[] }).changed,
    ).toContainEqual(
      expect.objectContaining({
        values: [{ input: "maxSize", before: 2, after: 3 }],
      }),
    );
  });
});

describe("the built program", () => {
  const runPlan = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, "dist", "plan.js"), ...args],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );

  it("is what Pulumi.yaml runs, loads as a function, and plans", async () => {
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, "tools", "build.mjs")],
      { cwd: REPO_ROOT },
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is found at run time
    const built = require(
      path.join(REPO_ROOT, "dist", "stacks", "index.js"),
    ) as typeof program;
    expect(typeof built).toBe("function");
    const plan = await evaluate(built, "dev");
    expect(plan.resources.map((r) => r.urn)).toEqual(
      (await evaluate(program, "dev")).resources.map((r) => r.urn),
    );
  });

  // Its success as a process (exit 0, one JSON plan alone on stdout) is the docs test's: it runs
  // the Nx plan target's command, npm run --silent plan -- --stack prod --json, as printed.
  it("exits 2 with the problem on stderr and nothing on stdout, as a process", () => {
    const bad = runPlan("--stack", "dev", "--config", "dr:tier=gold");
    expect({ status: bad.status, stdout: bad.stdout }).toEqual({
      status: 2,
      stdout: "",
    });
    expect(bad.stderr).toContain('dr:tier = "gold"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
