import * as fs from "node:fs";
import program = require("@aws-dr/stacks");
import { currentDiagrams, embedDiagrams, ENVIRONMENTS_DOC } from "./diagrams";
import { evaluate } from "./testing/cached-evaluate";
import { renderMermaid } from "./mermaid";

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

  it("draws active-active (prod): two sites by weight with health checks, a replica, and writes over peering", async () => {
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
    expect(diagram).toContain('primary_db -. "replication" .-> recovery_db');
    expect(diagram).toContain(
      'recovery_asg -- "writes over VPC peering" --> primary_db',
    );
  });

  it("shows a failover in the title and the promoted database, with traffic on the recovery site only", async () => {
    const diagram = renderMermaid(
      await evaluate(program, "prod", ["dr:failover=true"]),
    );
    expect(diagram).toContain("title: prod - active-active, failed over");
    expect(diagram).toContain(
      'recovery_db[("recovery-db<br/>PostgreSQL, db.r7g.large, Multi-AZ")]',
    );
    expect(diagram).not.toContain("--> primary_alb");
    expect(diagram).toContain(
      'dns -- "weight 1, health-checked" --> recovery_alb',
    );
  });

  it("is embedded, current, in docs/environments.md for every shipped environment (else: npm run diagrams)", async () => {
    const readme = fs.readFileSync(ENVIRONMENTS_DOC, "utf8");
    expect(embedDiagrams(readme, await currentDiagrams(program))).toBe(readme);
  });
});
