import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";
import program = require("@aws-dr/stacks");
import { policiesFor, stackFacts } from "@aws-dr/policy";
import { TIERS } from "@aws-dr/model";
import { currentDiagrams, embedDiagrams, environmentsDoc } from "./diagrams";
import { runCli } from "./cli";
import { evaluate, evaluateRun } from "./testing/cached-evaluate";
import { addEnvironment, runNewEnv } from "./new-env";
import { runPolicyCli } from "./policy";
import { REPO_ROOT, stackNames, UsageError } from "./stack-config";

/** A scratch repository root with the stacks project's package.json, so the real one stays as is. */
function scratchRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "new-env-"));
  fs.mkdirSync(path.join(root, "stacks"));
  fs.copyFileSync(
    path.join(REPO_ROOT, "stacks", "package.json"),
    path.join(root, "stacks", "package.json"),
  );
  return root;
}

describe("new-env", () => {
  it.each(TIERS)(
    "adds an environment from the %s template that plans cleanly at that tier, with its Nx targets",
    async (tier) => {
      const root = scratchRoot();
      addEnvironment("qa", tier, root);
      const plan = await evaluate(program, "qa", [], root);
      expect([plan.stack, plan.tier, plan.failover]).toEqual([
        "qa",
        tier,
        false,
      ]);
      expect(plan.resources.length).toBeGreaterThan(100);
      const pkg = JSON.parse(
        fs.readFileSync(path.join(root, "stacks", "package.json"), "utf8"),
      ) as {
        nx: {
          targets: Record<string, { configurations: Record<string, unknown> }>;
        };
      };
      expect({
        plan: pkg.nx.targets.plan.configurations.qa,
        preview: pkg.nx.targets.preview.configurations.qa,
        up: pkg.nx.targets.up.configurations.qa,
      }).toEqual({
        plan: { args: "--stack qa" },
        preview: { args: "-s qa" },
        up: { args: "-s qa" },
      });
    },
  );

  it("gives every shipped environment plan, preview and up targets", () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, "stacks", "package.json"), "utf8"),
    ) as {
      nx: {
        targets: Record<string, { configurations: Record<string, unknown> }>;
      };
    };
    for (const target of ["plan", "preview", "up"])
      expect(Object.keys(pkg.nx.targets[target].configurations).sort()).toEqual(
        stackNames(),
      );
  });

  it.each([
    ["Prod", "warm-standby", '--name "Prod": must be 1-20 lowercase'],
    ["qa", "gold", '--tier "gold": must be one of backup-restore'],
    ["prod", "warm-standby", "stacks/Pulumi.prod.yaml exists already"],
  ])("refuses name %s at tier %s, writing nothing", (name, tier, message) => {
    const root = scratchRoot();
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.prod.yaml"),
      "config: {}\n",
    );
    const before = fs.readdirSync(path.join(root, "stacks")).sort();
    expect(() => addEnvironment(name, tier, root)).toThrow(UsageError);
    expect(() => addEnvironment(name, tier, root)).toThrow(message);
    expect(fs.readdirSync(path.join(root, "stacks")).sort()).toEqual(before);
  });

  it("exits 2 with the usage when an option is missing or unknown, and 0 with it for --help, writing nothing", async () => {
    expect(await runNewEnv(["--name", "qa"])).toEqual({
      code: 2,
      message: expect.stringContaining("--name and --tier are required"),
    });
    expect(await runNewEnv(["--nmae", "qa"])).toEqual({
      code: 2,
      message: expect.stringMatching(
        /^unknown option --nmae\nusage: npm run new-env -- --name <env>/,
      ),
    });
    for (const help of ["--help", "-h"])
      expect(await runNewEnv(["--name", "qa", help])).toEqual({
        code: 0,
        message: expect.stringMatching(/^usage: npm run new-env -- --name/),
      });
  });

  it("runs only itself as a bundle: the diagrams module it carries does not take its command line", () => {
    execFileSync(process.execPath, [
      path.join(REPO_ROOT, "tools", "build.mjs"),
    ]);
    const run = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, "dist", "new-env.js"), "--help"],
      { encoding: "utf8" },
    );
    expect([run.status, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toMatch(/^usage: npm run new-env -- --name/);
    expect(run.stdout).not.toContain("npm run diagrams");
  });
});

/** A scratch repository root with the shipped stack files, their targets and docs/environments.md. */
function scratchRepo(): string {
  const root = scratchRoot();
  for (const env of stackNames())
    fs.copyFileSync(
      path.join(REPO_ROOT, "stacks", `Pulumi.${env}.yaml`),
      path.join(root, "stacks", `Pulumi.${env}.yaml`),
    );
  fs.mkdirSync(path.join(root, "docs"));
  fs.copyFileSync(environmentsDoc(), environmentsDoc(root));
  return root;
}

/** The plan and policy commands' evaluation, of the scratch repository's stack files. */
const evaluateIn =
  (root: string): typeof evaluate =>
  (p, stack, overrides, _root, deployed) =>
    evaluate(p, stack, overrides, root, deployed);

const PLACEHOLDER_KEYS = ["dr:app.amiId", "dr:dns.zoneId", "dr:dns.recordName"];

describe("new-env leaves the repository green", () => {
  let root: string;
  let result: { code: number; message: string };
  beforeAll(async () => {
    root = scratchRepo();
    result = await runNewEnv(
      ["--name", "qa", "--tier", "pilot-light"],
      () => program,
      root,
    );
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("writes the stack file, its targets and its diagram: docs/environments.md holds what npm run diagrams writes (mermaid.test's check), prettier-formatted", async () => {
    expect(result).toEqual({
      code: 0,
      message: expect.stringMatching(
        /^wrote stacks\/Pulumi\.qa\.yaml, .* and its diagram \(docs\/environments\.md\)/,
      ),
    });
    const doc = fs.readFileSync(environmentsDoc(root), "utf8");
    expect(doc).toContain(
      "### qa\n\n<!-- diagram:qa -->\n\n```mermaid\n---\ntitle: qa - pilot-light, normal\n",
    );
    expect(
      embedDiagrams(doc, await currentDiagrams(program, root, evaluate)),
    ).toBe(doc);
    // As prettier would leave it (what npm run diagrams runs after writing), with the repository's
    // prettier options for that file.
    const filepath = path.join(REPO_ROOT, "docs", "environments.md");
    expect(
      await prettier.check(doc, {
        ...(await prettier.resolveConfig(filepath, { editorconfig: true })),
        filepath,
      }),
    ).toBe(true);
    // The shipped environments' sections are as they were.
    const shipped = fs.readFileSync(environmentsDoc(), "utf8");
    expect(doc.replace(/\n### qa\n[\s\S]*?<!-- \/diagram:qa -->\n/, "")).toBe(
      shipped,
    );
  });

  it("refuses a second qa (exit 2), leaving the doc as it was", async () => {
    const before = fs.readFileSync(environmentsDoc(root), "utf8");
    expect(
      await runNewEnv(
        ["--name", "qa", "--tier", "warm-standby"],
        () => program,
        root,
      ),
    ).toEqual({ code: 2, message: expect.stringContaining("exists already") });
    expect(fs.readFileSync(environmentsDoc(root), "utf8")).toBe(before);
  });

  it("plans with one warning per placeholder it carries, naming the key (npm run plan)", async () => {
    const { code, stderr } = await runCli(
      ["--stack", "qa"],
      program,
      evaluateIn(root),
    );
    expect(code).toBe(0);
    const warnings = stderr
      .split("\n")
      .filter((l) => l.includes("is a placeholder"));
    expect(warnings).toEqual(
      PLACEHOLDER_KEYS.map((key) =>
        expect.stringMatching(new RegExp(`^warning: ${key} = "`)),
      ),
    );
  });

  it("is found by the policy pack's no-placeholders policy (npm run policy), advisory outside production", async () => {
    const { code, stdout } = await runPolicyCli(
      ["--stack", "qa"],
      program,
      // The config the plan was evaluated with, not the mock runtime's now: a shared evaluation
      // (another worker's) leaves this worker's runtime as its last run left it.
      (p, stack, overrides) => evaluateRun(p, stack, overrides, root),
    );
    // Advisory outside production: printed, and the run passes, as the CLI runs a pack.
    expect(code).toBe(0);
    const found = stdout.split("\n").filter((l) => /^\[\w+\] /.test(l));
    expect(found.length).toBeGreaterThan(0);
    expect(
      found.every((l) => l.startsWith("[advisory] no-placeholders: ")),
    ).toBe(true);
    expect(stdout).toMatch(/\n0 mandatory violation\(s\), \d+ advisory$/);
    expect(stdout).toMatch(
      /no-placeholders: primary-lt has a template placeholder in imageId/,
    );
    expect(stdout).toMatch(
      /no-placeholders: app-primary has a template placeholder in name, zoneId/,
    );
    const level = (production: string) =>
      policiesFor(stackFacts({ "dr:protectData": production })).find(
        (p) => p.name === "no-placeholders",
      )?.enforcementLevel;
    expect([level("false"), level("true")]).toEqual(["advisory", "mandatory"]);
  });

  it("leaves no placeholder in the shipped stacks: no warning from the program", async () => {
    for (const env of stackNames()) {
      const plan = await evaluate(program, env);
      expect([env, plan.warnings.filter((w) => /placeholder/.test(w))]).toEqual(
        [env, []],
      );
    }
  });
});
