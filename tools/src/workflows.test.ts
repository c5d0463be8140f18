// The CI users of this repo get (.github/workflows): valid against GitHub's workflow schema, stacks
// deployed in order with prod behind its environment, AWS through OIDC only, least permissions, and
// Node from the one .nvmrc that matches what @pulumi/pulumi supports.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "./stack-config";

const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const VALIDATOR = path.join(
  REPO_ROOT,
  "node_modules",
  ".bin",
  "action-validator",
);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  permissions?: Record<string, string> | string;
  steps?: Step[];
}
interface Workflow {
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const workflow = (file: string) =>
  parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
const allJobs = files.flatMap((file) =>
  Object.entries(workflow(file).jobs).map(([name, job]) => ({
    file,
    name,
    job,
  })),
);
const validate = (file: string) =>
  spawnSync(VALIDATOR, [file], { encoding: "utf8" });

describe("GitHub workflows", () => {
  it("are the pull-request checks, the ordered deploy, and its per-stack job", () => {
    expect(files.sort()).toEqual([
      "deploy.yml",
      "pull-request.yml",
      "pulumi-up.yml",
    ]);
  });

  it.each(files)("%s validates against GitHub's workflow schema", (file) => {
    const result = validate(path.join(WORKFLOWS, file));
    expect({ status: result.status, errors: result.stdout }).toEqual({
      status: 0,
      errors: "",
    });
  });

  it("the validator rejects a broken workflow (so the check above can fail)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-"));
    const broken = path.join(dir, "broken.yml");
    fs.writeFileSync(
      broken,
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: writ\n    steps: []\n",
    );
    expect(validate(broken).status).not.toBe(0);
  });

  it("on a pull request: tests first, then the offline diff and a pulumi preview --diff per stack, commented on the PR", () => {
    const { jobs } = workflow("pull-request.yml");
    expect(jobs["offline-diff"].needs).toBe("test");
    expect(jobs.preview.needs).toBe("test");
    const diffRun = (jobs["offline-diff"].steps ?? [])
      .map((s) => s.run ?? "")
      .join("\n");
    expect(diffRun).toMatch(/plan -- --stack "\$STACK" --json/);
    expect(diffRun).toMatch(
      /--diff --against "\$RUNNER_TEMP\/base.json" --markdown \$flag/,
    );
    expect(diffRun).toContain('flag="--fail-on-data-loss"');
    const pulumi = (jobs.preview.steps ?? []).find((s) =>
      s.uses?.startsWith("pulumi/actions@"),
    );
    expect(pulumi?.with).toMatchObject({
      command: "preview",
      diff: true,
      "comment-on-pr": true,
      "stack-name": "${{ matrix.stack }}",
    });
  });

  it("refuses a pull request whose stack file sets dr:overrideDeployedState, and passes one that does not", () => {
    const step = (workflow("pull-request.yml").jobs.test.steps ?? []).find(
      (s) => s.run?.includes("dr:overrideDeployedState"),
    ) as Step & { run: string };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-override-"));
    fs.mkdirSync(path.join(dir, "stacks"));
    const stackFile = path.join(dir, "stacks", "Pulumi.prod.yaml");
    const check = () =>
      spawnSync("bash", ["-e", "-c", step.run], { cwd: dir, encoding: "utf8" });
    fs.writeFileSync(stackFile, "config:\n  dr:tier: pilot-light\n");
    expect(check().status).toBe(0);
    fs.writeFileSync(
      stackFile,
      'config:\n  dr:tier: pilot-light\n  dr:overrideDeployedState: "tier=pilot-light"\n',
    );
    const refused = check();
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(
      "::error::dr:overrideDeployedState is set in a stack file",
    );
    fs.rmSync(dir, { recursive: true });
  });

  it("on main: pulumi up dev, then staging, then prod, each in its own GitHub environment", () => {
    const { jobs } = workflow("deploy.yml");
    expect(
      Object.entries(jobs).map(([name, job]) => [
        name,
        job.needs,
        job.with?.stack,
        job.uses,
      ]),
    ).toEqual([
      ["dev", undefined, "dev", "./.github/workflows/pulumi-up.yml"],
      ["staging", "dev", "staging", "./.github/workflows/pulumi-up.yml"],
      ["prod", "staging", "prod", "./.github/workflows/pulumi-up.yml"],
    ]);
    const up = workflow("pulumi-up.yml").jobs.up;
    expect(up.environment).toBe("${{ inputs.stack }}");
    expect(up.steps?.find((s) => s.with?.command === "up")?.with).toMatchObject(
      {
        command: "up",
        "stack-name": "${{ inputs.stack }}",
      },
    );
  });

  it("refreshes the recovery database alone before every pulumi up, so a failover after someone else promoted it succeeds", () => {
    const steps = workflow("pulumi-up.yml").jobs.up.steps ?? [];
    const refresh = steps.findIndex((s) =>
      /pulumi refresh .*--target "\$urn"/.test(s.run ?? ""),
    );
    const up = steps.findIndex((s) => s.with?.command === "up");
    expect(refresh).toBeGreaterThan(-1);
    expect(refresh).toBeLessThan(up);
    expect(steps[refresh].run).toContain(
      'pulumi stack output recoveryDatabaseUrn --stack "$STACK"',
    );
  });

  it("grant read-only contents by default, and id-token or pull-requests write only to the jobs that need them", () => {
    for (const file of files)
      expect([file, workflow(file).permissions]).toEqual([
        file,
        { contents: "read" },
      ]);
    for (const { file, name, job } of allJobs) {
      const steps = job.steps ?? [];
      const assumesRole =
        job.uses !== undefined ||
        steps.some((s) =>
          s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
        );
      const comments = steps.some(
        (s) =>
          s.uses?.startsWith("marocchino/sticky-pull-request-comment@") ||
          s.with?.["comment-on-pr"] === true,
      );
      expect({ job: `${file}:${name}`, permissions: job.permissions }).toEqual({
        job: `${file}:${name}`,
        permissions: {
          contents: "read",
          ...(assumesRole ? { "id-token": "write" } : {}),
          ...(comments ? { "pull-requests": "write" } : {}),
        },
      });
    }
  });

  it("take AWS credentials from OIDC only, never from stored keys", () => {
    for (const file of files) {
      const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
      expect(text).not.toMatch(
        /aws-access-key-id|aws-secret-access-key|secrets\.AWS_/i,
      );
    }
    for (const { job } of allJobs)
      for (const step of job.steps ?? [])
        if (step.uses?.startsWith("aws-actions/configure-aws-credentials@"))
          expect(Object.keys(step.with ?? {}).sort()).toEqual([
            "aws-region",
            "role-to-assume",
          ]);
  });

  it("set up Node from .nvmrc, whose version is one @pulumi/pulumi supports, as the engines field says", () => {
    for (const { job } of allJobs)
      for (const step of job.steps ?? [])
        if (step.uses?.startsWith("actions/setup-node@"))
          expect(step.with).toMatchObject({ "node-version-file": ".nvmrc" });
    const read = (file: string) =>
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")) as {
        engines: { node: string };
      };
    const pulumiEngines = read("node_modules/@pulumi/pulumi/package.json")
      .engines.node;
    expect(read("package.json").engines.node).toBe(pulumiEngines);
    const nvmrc = Number(
      fs.readFileSync(path.join(REPO_ROOT, ".nvmrc"), "utf8").trim(),
    );
    const minimum = Number(/^>=(\d+)/.exec(pulumiEngines)?.[1]);
    expect(nvmrc).toBeGreaterThanOrEqual(minimum);
  });
});
