import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import program = require("@aws-dr/stacks");
import type { Program } from "@aws-dr/offline-plan";
import {
  currentDiagrams,
  embedDiagrams,
  ENVIRONMENTS_DOC,
  environmentsDoc,
  runDiagrams,
  writeDiagram,
} from "./diagrams";
import { evaluate } from "./testing/cached-evaluate";
import { PROD_ON_RDS } from "./testing/prod-on-rds";
import { renderMermaid } from "./mermaid";
import { REPO_ROOT } from "./stack-config";

describe("plan --mermaid", () => {
  it("draws backup-restore (dev): a primary site, backups copied and data replicated to the recovery region, no recovery site", async () => {
    const diagram = renderMermaid(await evaluate(program, "dev"));
    expect(diagram).toMatch(
      /^---\ntitle: dev - backup-restore, normal\n---\nflowchart LR\n/,
    );
    expect(diagram).toContain('subgraph primary["primary region us-east-1"]');
    expect(diagram).toContain('subgraph recovery["recovery region us-west-2"]');
    expect(diagram).toContain(
      'primary_db[("primary-db<br/>PostgreSQL, db.t4g.micro")]',
    );
    expect(diagram).toContain(
      'primary_data -. "S3 replication, RTC 15 min" .-> backup',
    );
    expect(diagram).toContain(
      'primary_vault -. "backup copy" .-> recovery_vault',
    );
    expect(diagram).toContain('primary_db -- "AWS Backup" --> primary_vault');
    expect(diagram).not.toContain("recovery_asg");
    expect(diagram).not.toContain("dns");
  });

  it("draws active-active (prod): two sites by weight with health checks, an Aurora global database, and writes over peering", async () => {
    const diagram = renderMermaid(await evaluate(program, "prod"));
    expect(diagram).toContain("title: prod - active-active, normal");
    expect(diagram).toContain('dns(["app.example.com"])');
    expect(diagram).toContain(
      'dns -- "weight 50, health-checked" --> primary_alb',
    );
    expect(diagram).toContain(
      'dns -- "weight 50, health-checked" --> recovery_alb',
    );
    expect(diagram).toContain('recovery_asg["fleet 3..12 instances"]');
    expect(diagram).toContain(
      'primary_db[("primary-db<br/>Aurora writer, 2 x db.r7g.large")]',
    );
    expect(diagram).toContain(
      'recovery_db[("recovery-db<br/>Aurora secondary, 2 x db.r7g.large")]',
    );
    expect(diagram).toContain(
      'primary_db -. "Aurora global database" .-> recovery_db',
    );
    expect(diagram).toContain(
      'recovery_asg -- "writes over VPC peering" --> primary_db',
    );
    expect(diagram).toContain('primary_db -- "AWS Backup" --> primary_vault');
  });

  it("draws prod on RDS with a cross-region read replica, and pilot light's headless Aurora secondary", async () => {
    const rds = renderMermaid(await evaluate(program, "prod", [PROD_ON_RDS]));
    expect(rds).toContain(
      'recovery_db[("recovery-db<br/>read replica, db.r7g.large, Multi-AZ")]',
    );
    expect(rds).toContain('primary_db -. "replication" .-> recovery_db');
    const headless = renderMermaid(
      await evaluate(program, "prod", ["dr:tier=pilot-light"]),
    );
    expect(headless).toContain(
      'recovery_db[("recovery-db<br/>Aurora secondary, headless")]',
    );
  });

  it("shows a failover in the title and the promoted database, with traffic on the recovery site only", async () => {
    const diagram = renderMermaid(
      await evaluate(program, "prod", ["dr:failover=true"]),
    );
    expect(diagram).toContain("title: prod - active-active, failed over");
    // AWS moved the writer; the members' inputs are as they were.
    expect(diagram).toContain(
      'recovery_db[("recovery-db<br/>Aurora writer, 2 x db.r7g.large")]',
    );
    expect(diagram).toContain(
      'recovery_db -. "Aurora global database" .-> primary_db',
    );
    expect(diagram).not.toContain("writes over VPC peering");
    expect(diagram).not.toContain("--> primary_alb");
    expect(diagram).toContain(
      'dns -- "weight 1, health-checked" --> recovery_alb',
    );
  });

  it("is embedded, current, in docs/environments.md for every stack file (else: npm run diagrams)", async () => {
    const readme = fs.readFileSync(ENVIRONMENTS_DOC, "utf8");
    expect(
      embedDiagrams(
        readme,
        await currentDiagrams(program, undefined, evaluate),
      ),
    ).toBe(readme);
  });
});

describe("npm run diagrams", () => {
  const DOC = [
    "# Environments",
    "",
    "### dev",
    "",
    "<!-- diagram:dev -->",
    "",
    "old",
    "",
    "<!-- /diagram:dev -->",
    "",
    "### gone",
    "",
    "<!-- diagram:gone -->",
    "",
    "old",
    "",
    "<!-- /diagram:gone -->",
    "",
    "## After",
    "",
  ].join("\n");
  const block = (env: string, diagram: string) =>
    `<!-- diagram:${env} -->\n\n\`\`\`mermaid\n${diagram}\n\`\`\`\n\n<!-- /diagram:${env} -->`;

  it("draws every stack file: replaces a block, adds a new environment's section after the last block, removes a gone one's", () => {
    const doc = embedDiagrams(DOC, { dev: "D", qa: "Q" });
    expect(doc).toBe(
      `# Environments\n\n### dev\n\n${block("dev", "D")}\n\n### qa\n\n${block("qa", "Q")}\n\n## After\n`,
    );
    expect(embedDiagrams(doc, { dev: "D", qa: "Q" })).toBe(doc);
  });

  /** A scratch repository: these stack files (name -> YAML) and this docs/environments.md. */
  function scratch(stacks: Record<string, string>, doc: string): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "diagrams-"));
    fs.mkdirSync(path.join(root, "stacks"));
    fs.mkdirSync(path.join(root, "docs"));
    for (const [env, yaml] of Object.entries(stacks))
      fs.writeFileSync(path.join(root, "stacks", `Pulumi.${env}.yaml`), yaml);
    fs.writeFileSync(environmentsDoc(root), doc);
    return root;
  }
  const shipped = (env: string) =>
    fs.readFileSync(
      path.join(REPO_ROOT, "stacks", `Pulumi.${env}.yaml`),
      "utf8",
    );

  it("draws a new environment alone (new-env): plans only its stack, leaves the other blocks as they are", async () => {
    const stale = `# Environments\n\n### dev\n\n${block("dev", "stale")}\n\n## After\n`;
    const root = scratch({ dev: shipped("dev"), qa: shipped("dev") }, stale);
    const planned: string[] = [];
    const counted: Program = () => {
      planned.push(pulumi.getStack());
      return program();
    };
    await writeDiagram(counted, "qa", root);
    const doc = fs.readFileSync(environmentsDoc(root), "utf8");
    expect(planned).toEqual(["qa"]);
    expect(doc).toBe(
      embedDiagrams(stale, {
        dev: "stale",
        qa: renderMermaid(await evaluate(program, "qa", [], root)),
      }),
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  const BAD_INPUT: [string, Record<string, string>, string, RegExp][] = [
    [
      "a stack file the program refuses",
      { dev: shipped("dev"), qa: "config:\n  dr:tier: gold\n" },
      ENVIRONMENTS_DOC,
      /^npm run diagrams: stacks\/Pulumi\.qa\.yaml: Invalid stack configuration: dr:tier = "gold": .*; dr:primaryRegion = \(not set\)/,
    ],
    [
      "a stack file that is not YAML",
      { dev: shipped("dev"), qa: "config: [\n" },
      ENVIRONMENTS_DOC,
      /^npm run diagrams: stacks\/Pulumi\.qa\.yaml:2:1: not valid YAML/,
    ],
    [
      "a block without its end marker",
      { dev: shipped("dev") },
      "<!-- diagram:dev -->\n",
      /^npm run diagrams: docs\/environments\.md: <!-- diagram:dev --> has no <!-- \/diagram:dev --> after it$/,
    ],
  ];

  it.each(BAD_INPUT)(
    "exits 2 with one line on %s, leaving the doc as it was",
    async (_case, stacks, doc, message) => {
      const text = fs.existsSync(doc) ? fs.readFileSync(doc, "utf8") : doc;
      const root = scratch(stacks, text);
      const result = await runDiagrams(program, root);
      expect(result).toEqual({
        code: 2,
        stdout: "",
        stderr: expect.any(String),
      });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain("\n");
      expect(fs.readFileSync(environmentsDoc(root), "utf8")).toBe(text);
      fs.rmSync(root, { recursive: true, force: true });
    },
  );

  it("as a process (the built dist/diagrams.js): one line on stderr and exit 2, no stack trace", () => {
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, "tools", "build.mjs")],
      {
        cwd: REPO_ROOT,
      },
    );
    // The refused stack alone: a good one before it would be planned first, cold, for nothing.
    const root = scratch(
      { qa: "config:\n  dr:tier: gold\n" },
      fs.readFileSync(ENVIRONMENTS_DOC, "utf8"),
    );
    // The bundles as they were built (timestamps kept: the bundle checks it is newer than its
    // sources), and the packages they load.
    fs.cpSync(path.join(REPO_ROOT, "dist"), path.join(root, "dist"), {
      recursive: true,
      preserveTimestamps: true,
    });
    fs.symlinkSync(
      path.join(REPO_ROOT, "node_modules"),
      path.join(root, "node_modules"),
    );
    const run = spawnSync(
      process.execPath,
      [path.join(root, "dist", "diagrams.js")],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect({ status: run.status, stdout: run.stdout }).toEqual({
      status: 2,
      stdout: "",
    });
    expect(run.stderr).toMatch(
      /^npm run diagrams: stacks\/Pulumi\.qa\.yaml: Invalid stack configuration: dr:tier = "gold"[^\n]*\n$/,
    );
    fs.rmSync(root, { recursive: true, force: true });
  }, 120_000);
});
