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
// action-validator's CLI checks one file per run, and each run is a node start and a compile of the
// WASM validator (~0.4 CPU-s): its core, the validator the CLI wraps, checks all of them in one
// process (outside jest, which would print the validator's warnings).
const VALIDATE = `
const fs = require("node:fs");
const { validateWorkflow } = require("@action-validator/core");
const files = JSON.parse(process.argv[1]);
console.log(JSON.stringify(files.map((f) => validateWorkflow(fs.readFileSync(f, "utf8")).errors)));
`;

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Concurrency {
  group: string;
  "cancel-in-progress"?: boolean;
}
interface Job {
  name?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  concurrency?: Concurrency;
  env?: Record<string, string>;
  permissions?: Record<string, string> | string;
  strategy?: { matrix: Record<string, unknown> };
  steps?: Step[];
}
interface Input {
  type: string;
  options?: string[];
  default?: unknown;
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, Input> } | null | undefined>;
  permissions?: Record<string, string> | string;
  concurrency?: Concurrency;
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

// file name -> the validator's errors: the workflows, and a broken one (so the check can fail).
const BROKEN = "broken.yml";
let validated: Map<string, unknown[]>;
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-"));
  const broken = path.join(dir, BROKEN);
  fs.writeFileSync(
    broken,
    "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: writ\n    steps: []\n",
  );
  const paths = [...files.map((f) => path.join(WORKFLOWS, f)), broken];
  const run = spawnSync(
    process.execPath,
    ["-e", VALIDATE, JSON.stringify(paths)],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  fs.rmSync(dir, { recursive: true });
  if (run.status !== 0) throw new Error(run.stderr || run.stdout);
  const errors = JSON.parse(run.stdout) as unknown[][];
  validated = new Map([...files, BROKEN].map((f, i) => [f, errors[i]]));
});

describe("GitHub workflows", () => {
  it("are the pull-request checks, the ordered deploy, and its per-stack job", () => {
    expect(files.sort()).toEqual([
      "deploy.yml",
      "disaster-day.yml",
      "pull-request.yml",
      "pulumi-up.yml",
    ]);
  });

  it.each(files)("%s validates against GitHub's workflow schema", (file) => {
    expect(validated.get(file)).toEqual([]);
  });

  it("the validator rejects a broken workflow (so the check above can fail)", () => {
    expect(validated.get(BROKEN)?.length).toBeGreaterThan(0);
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

  it("check the backend is current before every pulumi up: required on disaster day (after the step's config, so a retry is one; a copy ahead accepted only by the dispatch), optional on an ordinary deploy", () => {
    const check = (file: string) => {
      const steps = Object.values(workflow(file).jobs)[0].steps ?? [];
      const at = (test: (s: Step) => boolean) => steps.findIndex(test);
      return {
        run: steps.find((s) => s.name === "The backend is current")?.run,
        check: at((s) => s.name === "The backend is current"),
        config: at((s) => s.name === "Set the step's config in the stack file"),
        up: at((s) => s.with?.command === "up"),
      };
    };
    const ordinary = check("pulumi-up.yml");
    const disaster = check("disaster-day.yml");
    expect([ordinary.run, disaster.run]).toEqual([
      'tools/ci/backend-is-current.sh "$STACK" optional',
      'tools/ci/backend-is-current.sh "$STACK" required "$ACCEPT_STATE_COPY_SEQUENCE"',
    ]);
    // Only disaster day can accept a copy ahead, through a dispatch input that is empty by default.
    const step = (file: string) =>
      (Object.values(workflow(file).jobs)[0].steps ?? []).find(
        (s) => s.name === "The backend is current",
      );
    expect(step("disaster-day.yml")?.env).toEqual({
      ACCEPT_STATE_COPY_SEQUENCE: "${{ inputs.accept-state-copy-sequence }}",
      // A retry of the copy's own move passes only from the failover bucket.
      BACKEND_KIND: "${{ inputs.backend }}",
    });
    expect(step("pulumi-up.yml")?.env).toBeUndefined();
    expect(
      workflow("disaster-day.yml").on.workflow_dispatch?.inputs?.[
        "accept-state-copy-sequence"
      ],
    ).toMatchObject({ type: "string", default: "" });
    expect(ordinary.check).toBeGreaterThan(-1);
    expect(ordinary.check).toBeLessThan(ordinary.up);
    expect(disaster.config).toBeGreaterThan(-1);
    expect(disaster.check).toBeGreaterThan(disaster.config);
    expect(disaster.check).toBeLessThan(disaster.up);
    expect(
      fs.statSync(path.join(REPO_ROOT, "tools", "ci", "backend-is-current.sh"))
        .mode & 0o111,
    ).not.toBe(0);
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
      // Pushes a branch and opens a pull request with it (disaster-day.yml).
      const opensPullRequest = steps.some((s) =>
        /gh pr create/.test(s.run ?? ""),
      );
      expect({ job: `${file}:${name}`, permissions: job.permissions }).toEqual({
        job: `${file}:${name}`,
        permissions: {
          contents: opensPullRequest ? "write" : "read",
          ...(assumesRole ? { "id-token": "write" } : {}),
          ...(comments || opensPullRequest ? { "pull-requests": "write" } : {}),
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
  it("pin every third-party action to a full commit SHA, with the tag as a comment", () => {
    for (const file of files) {
      const lines = fs
        .readFileSync(path.join(WORKFLOWS, file), "utf8")
        .split("\n")
        .filter((line) => /^\s*(-\s+)?uses:/.test(line));
      for (const line of lines) {
        const uses = line.replace(/^\s*(-\s+)?uses:\s*/, "");
        if (uses.startsWith("./")) continue;
        expect([file, uses]).toEqual([
          file,
          expect.stringMatching(
            /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/,
          ),
        ]);
      }
    }
    const pinned = allJobs.flatMap(({ job }) =>
      (job.steps ?? []).filter((s) => s.uses !== undefined),
    );
    expect(pinned.length).toBeGreaterThan(10);
  });

  it("pin the Pulumi CLI in every pulumi/actions step to 3.111 or later (an earlier CLI drops every stack output on a failed update, which the deployed-state check would read as a first deployment)", () => {
    const steps = allJobs.flatMap(({ file, job }) =>
      (job.steps ?? [])
        .filter((s) => s.uses?.startsWith("pulumi/actions@"))
        .map((s) => ({ file, version: String(s.with?.["pulumi-version"]) })),
    );
    expect(steps.length).toBeGreaterThanOrEqual(6);
    for (const { file, version } of steps) {
      expect([file, version]).toEqual([
        file,
        expect.stringMatching(/^3\.\d+\.\d+$/),
      ]);
      expect(Number(version.split(".")[1])).toBeGreaterThanOrEqual(111);
    }
  });

  it("preview prod only in the environment prod-preview (required reviewers), never with a pull request's own subject", () => {
    const { jobs } = workflow("pull-request.yml");
    const roleOf = (job: Job) =>
      (job.steps ?? []).find((s) =>
        s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
      )?.with?.["role-to-assume"];
    expect(jobs.preview.environment).toBeUndefined();
    expect(jobs.preview.strategy?.matrix).toEqual({
      include: [
        { stack: "dev", role: "AWS_PREVIEW_ROLE_ARN_DEV" },
        { stack: "staging", role: "AWS_PREVIEW_ROLE_ARN_STAGING" },
      ],
    });
    expect(roleOf(jobs.preview)).toBe("${{ vars[matrix.role] }}");
    const reviewed = jobs["preview-reviewed"];
    expect(reviewed.environment).toBe("${{ matrix.stack }}-preview");
    expect(reviewed.strategy?.matrix).toEqual({ stack: ["prod"] });
    expect(roleOf(reviewed)).toBe("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
    // No other job of the pull request assumes a role.
    expect(
      Object.entries(jobs)
        .filter(([, job]) => roleOf(job) !== undefined)
        .map(([name]) => name),
    ).toEqual(["preview", "preview-reviewed"]);
  });

  describe("the disaster-day workflow", () => {
    const dd = workflow("disaster-day.yml");
    const job = dd.jobs.step;
    const steps = job.steps ?? [];
    const runOf = (pattern: RegExp) =>
      steps.find((s) => pattern.test(s.run ?? "")) as Step & { run: string };

    it("is dispatched by hand with the stack and the runbooks' steps, in the stack's environment, depending on no other stack", () => {
      const inputs = dd.on.workflow_dispatch?.inputs ?? {};
      expect(Object.keys(dd.on)).toEqual(["workflow_dispatch"]);
      expect(inputs.stack).toMatchObject({
        type: "choice",
        options: ["dev", "staging", "prod"],
      });
      expect(inputs.step.options).toEqual([
        "failover",
        "failover-resize",
        "failback-fence",
        "failback-reseed",
        "failback-freeze",
        "failback-promote",
        "failback-generation",
        "failback-release",
        "failback-normal",
      ]);
      expect(inputs.backend).toMatchObject({
        options: ["recovery", "primary"],
        default: "recovery",
      });
      expect(Object.keys(dd.jobs)).toEqual(["step"]);
      expect(job.needs).toBeUndefined();
      expect(job.environment).toBe("${{ inputs.stack }}");
      expect(job.permissions).toEqual({
        contents: "write",
        "id-token": "write",
        "pull-requests": "write",
      });
    });

    it("holds the same per-stack lock as the ordinary deploy of that stack, never cancelling the running one", () => {
      const deploy = workflow("pulumi-up.yml").jobs.up.concurrency;
      expect(dd.concurrency).toEqual({
        group: "pulumi-${{ inputs.stack }}",
        "cancel-in-progress": false,
      });
      expect(deploy).toEqual(dd.concurrency);
      // GitHub keeps one pending run per group and cancels it when a newer one queues:
      // cancel-in-progress: false spares only the running run, and nothing may say otherwise.
      for (const file of [
        ".github/workflows/pulumi-up.yml",
        ".github/workflows/disaster-day.yml",
        "docs/disaster-day.md",
      ]) {
        const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
        expect([file, text]).not.toEqual([
          file,
          expect.stringMatching(/neither is cancelled|none\s+(#\s+)?cancelled/),
        ]);
        expect([file, text]).toEqual([
          file,
          expect.stringMatching(/cancels (it|that pending one)/),
        ]);
      }
      // deploy.yml calls pulumi-up.yml with inputs.stack = each stack's name: the same group.
      expect(
        Object.values(workflow("deploy.yml").jobs).map((j) => j.with?.stack),
      ).toEqual(["dev", "staging", "prod"]);
    });

    it("logs in to the recovery state backend (primary only when asked, after the state failback) and uses the recovery AWS_REGION, so the secrets key decrypts through its replica", () => {
      expect(job.env).toMatchObject({
        AWS_REGION: "${{ vars.STATE_RECOVERY_REGION }}",
        PULUMI_BACKEND_URL:
          "${{ inputs.backend == 'primary' && vars.PULUMI_BACKEND_URL || vars.PULUMI_RECOVERY_BACKEND_URL }}",
      });
      const credentials = steps.find((s) =>
        s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
      );
      expect(credentials?.with).toEqual({
        "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
        "aws-region": "${{ vars.STATE_RECOVERY_REGION }}",
      });
      expect(runOf(/pulumi login/).run).toContain(
        'pulumi login "$PULUMI_BACKEND_URL"',
      );
      const up = steps.find((s) => s.with?.command === "up");
      expect(up?.with).toMatchObject({
        "stack-name": "${{ inputs.stack }}",
        "cloud-url": "${{ env.PULUMI_BACKEND_URL }}",
        policyPacks: "policy",
      });
    });

    it("seeds the failover bucket from the replica only at the disaster's failover, only where head-object answers 404, and runs nothing else without it", () => {
      const seed = runOf(/aws s3 cp/);
      expect(seed.run).toMatch(/elif \[ "\$STEP" = failover \]/);
      expect(seed.run).toContain(
        'aws s3 cp "s3://$replica/$checkpoint" "s3://$failover/$checkpoint"',
      );
      expect(seed.run).toContain("the failover bucket holds no $STACK");

      // Run it with a stand-in aws: head-object answers per key as the test says.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-seed-"));
      fs.writeFileSync(
        path.join(dir, "aws"),
        `#!/usr/bin/env bash
echo "$*" >> "$CALLS"
if [ "$1 $2" = "s3api head-object" ]; then
  case "$4/$6" in
    failover/.pulumi/stacks/aws-dr/prod.json) answer="$CHECKPOINT" ;;
    failover/.pulumi/meta.yaml) answer="$META" ;;
    *) answer=present ;;
  esac
  case "$answer" in
    present) echo '{"LastModified": "2025-01-01T00:00:00+00:00"}' ;;
    absent) echo "An error occurred (404) when calling the HeadObject operation: Not Found" >&2; exit 254 ;;
    forbidden) echo "An error occurred (403) when calling the HeadObject operation: Forbidden" >&2; exit 254 ;;
    throttled) echo "An error occurred (SlowDown) when calling the HeadObject operation: Please reduce your request rate." >&2; exit 254 ;;
  esac
fi
exit 0
`,
        { mode: 0o755 },
      );
      const calls = path.join(dir, "calls");
      const run = (step: string, checkpoint: string, meta = "present") => {
        fs.rmSync(calls, { force: true });
        const result = spawnSync("bash", ["-e", "-c", seed.run], {
          cwd: dir,
          encoding: "utf8",
          env: {
            ...process.env,
            PATH: `${dir}:${process.env.PATH}`,
            STACK: "prod",
            STEP: step,
            PULUMI_BACKEND_URL: "s3://failover?region=us-west-2",
            PULUMI_REPLICA_BACKEND_URL: "s3://replica?region=us-west-2",
            GITHUB_STEP_SUMMARY: path.join(dir, "summary"),
            CHECKPOINT: checkpoint,
            META: meta,
            CALLS: calls,
          },
        });
        const asked = fs.existsSync(calls)
          ? fs.readFileSync(calls, "utf8")
          : "";
        return {
          code: result.status,
          out: result.stdout + result.stderr,
          copies: asked.split("\n").filter((l) => l.startsWith("s3 cp")),
        };
      };
      expect(run("failover", "present")).toMatchObject({ code: 0, copies: [] });
      expect(run("failover", "absent", "absent")).toMatchObject({
        code: 0,
        copies: [
          "s3 cp s3://replica/.pulumi/meta.yaml s3://failover/.pulumi/meta.yaml",
          "s3 cp s3://replica/.pulumi/stacks/aws-dr/prod.json s3://failover/.pulumi/stacks/aws-dr/prod.json",
        ],
      });
      expect(run("failover", "absent").copies).toHaveLength(1);
      expect(run("failover-resize", "absent")).toMatchObject({
        code: 1,
        copies: [],
        out: expect.stringContaining("the failover bucket holds no prod"),
      });
      // Any error but a 404 is no "absent": nothing is copied over the failover's checkpoint.
      for (const error of ["forbidden", "throttled"]) {
        const refused = run("failover", error);
        expect([error, refused.code, refused.copies]).toEqual([error, 1, []]);
        expect(refused.out).toContain(
          "::error::cannot tell whether s3://failover/.pulumi/stacks/aws-dr/prod.json exists (not a 404",
        );
      }
      expect(run("failover", "absent", "forbidden")).toMatchObject({
        code: 1,
        copies: [],
      });
      fs.rmSync(dir, { recursive: true });
    });

    it("sets each step's config as the runbooks do, refreshes what they refresh, then pulumi up, reports, and opens a pull request with the stack-file change", () => {
      const set = runOf(/pulumi config set "\$@"/).run;
      for (const line of [
        "failover) set_ dr:failover true ;;",
        "failover-resize) set_ dr:failoverStep resize ;;",
        "failback-fence) set_ dr:failback fence ;;",
        "failback-reseed) set_ dr:failoverStep resize && set_ dr:failback reseed ;;",
        "failback-freeze) set_ dr:failback freeze ;;",
        'failback-promote) set_ dr:failover false && pulumi config rm dr:failoverStep --stack "$STACK" && set_ dr:failback promote ;;',
        "set_ dr:failback none && set_ --path 'dr:database.generation' \"$next\" ;;",
        "failback-release) set_ dr:failback release ;;",
        "failback-normal) set_ dr:failover false && set_ dr:failback none ;;",
      ])
        expect(set).toContain(line);
      const order = (s: Step) => steps.indexOf(s);
      const refresh = runOf(/pulumi refresh/);
      expect(refresh.run).toContain("recoveryDatabaseUrn");
      expect(refresh.run).toContain('endswith("::recovery-asg")');
      const up = steps.find((s) => s.with?.command === "up") as Step;
      const report = steps.find((s) => s.name === "Report the outcome") as Step;
      const pr = runOf(/gh pr create/);
      expect([runOf(/config set/), refresh, up, report, pr].map(order)).toEqual(
        [...[runOf(/config set/), refresh, up, report, pr].map(order)].sort(
          (a, b) => a - b,
        ),
      );
      expect(report.if).toBe("always()");
      expect(report.run).toContain("$GITHUB_STEP_SUMMARY");
      expect(pr.if).toBe("steps.up.outcome == 'success'");
      expect(pr.env?.GH_TOKEN).toBe("${{ github.token }}");
      expect(pr.run).toContain('git add "stacks/Pulumi.$STACK.yaml"');
      expect(pr.run).toContain('origin "HEAD:refs/heads/$BRANCH"');
      // It waits for no merge: nothing after the pull request, no gh pr merge or checks watch.
      expect(order(pr)).toBe(steps.length - 1);
      expect(pr.run).not.toMatch(/gh pr (merge|checks)/);
    });

    it("builds each step on the stack's branch disaster-day/<stack>, pushes it there, and opens its one pull request only when none is open", () => {
      const branchStep = steps.find(
        (s) => s.name === "Build on the stack's disaster-day branch",
      ) as Step & { run: string };
      const pr = runOf(/gh pr create/);
      // Right after the checkout: every step that reads the stack file reads the branch's.
      expect(steps.indexOf(branchStep)).toBe(1);
      expect(branchStep.env?.GH_TOKEN).toBe("${{ github.token }}");

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-branch-"));
      const git = (cwd: string, ...args: string[]) => {
        const r = spawnSync("git", args, { cwd, encoding: "utf8" });
        if (r.status !== 0)
          throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
        return r.stdout.trim();
      };
      const origin = path.join(dir, "origin.git");
      const seed = path.join(dir, "seed");
      git(dir, "init", "-q", "--bare", "-b", "main", origin);
      git(dir, "clone", "-q", origin, seed);
      fs.mkdirSync(path.join(seed, "stacks"));
      const stackFile = "stacks/Pulumi.prod.yaml";
      fs.writeFileSync(
        path.join(seed, stackFile),
        "config:\n  dr:tier: pilot-light\n",
      );
      git(seed, "add", ".");
      git(
        seed,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-q",
        "-m",
        "main",
      );
      git(seed, "push", "-q", "origin", "HEAD:main");
      // A stand-in gh: `pr list --state merged` answers MERGED, `--state open` OPEN_PR.
      const bin = path.join(dir, "bin");
      fs.mkdirSync(bin);
      fs.writeFileSync(
        path.join(bin, "gh"),
        `#!/usr/bin/env bash
echo "gh $*" >> "$CALLS"
case "$*" in
  *"--state merged"*) echo "\${MERGED:-0}" ;;
  *"--state open"*) echo "\${OPEN_PR:-}" ;;
  "pr create"*) echo https://github.com/o/r/pull/9 ;;
esac
`,
        { mode: 0o755 },
      );
      let runs = 0;
      // One dispatch: the checkout of main (shallow, as actions/checkout), the branch step, the
      // step's config (a line added to the stack file), the push step.
      const dispatch = (
        step: string,
        gh: { MERGED?: string; OPEN_PR?: string },
      ) => {
        const work = path.join(dir, `run-${++runs}`);
        git(
          dir,
          "clone",
          "-q",
          "--depth=1",
          "--branch",
          "main",
          `file://${origin}`,
          work,
        );
        const envFile = path.join(dir, `env-${runs}`);
        const calls = path.join(dir, `calls-${runs}`);
        const base = {
          ...process.env,
          ...gh,
          PATH: `${bin}:${process.env.PATH}`,
          STACK: "prod",
          STEP: step,
          BACKEND: "recovery",
          GITHUB_REF_NAME: "main",
          GITHUB_ENV: envFile,
          GITHUB_STEP_SUMMARY: path.join(dir, `summary-${runs}`),
          RUN_URL: `https://github.com/o/r/actions/runs/${runs}`,
          CALLS: calls,
        };
        const bash = (script: string, env: NodeJS.ProcessEnv) => {
          const r = spawnSync("bash", ["-e", "-c", script], {
            cwd: work,
            encoding: "utf8",
            env,
          });
          if (r.status !== 0) throw new Error(r.stdout + r.stderr);
          return r.stdout;
        };
        const out = bash(branchStep.run, base);
        const exported = Object.fromEntries(
          fs
            .readFileSync(envFile, "utf8")
            .trim()
            .split("\n")
            .map((l) => l.split("=", 2)),
        ) as Record<string, string>;
        fs.appendFileSync(path.join(work, stackFile), `  # ${step}\n`);
        bash(pr.run, { ...base, ...exported });
        return {
          out,
          exported,
          gh: fs.readFileSync(calls, "utf8"),
          branch: git(origin, "log", "--format=%s", "disaster-day/prod"),
          file: git(origin, "show", `disaster-day/prod:${stackFile}`),
        };
      };

      // The disaster's first step: no branch yet, so from main; the pull request is opened.
      const first = dispatch("failover", {});
      expect(first.out).toContain("no disaster-day/prod on origin");
      expect(first.exported).toEqual({ BRANCH: "disaster-day/prod" });
      expect(first.branch.split("\n")).toEqual([
        "disaster day: failover of prod (deployed by https://github.com/o/r/actions/runs/1)",
        "main",
      ]);
      expect(first.gh).toMatch(
        /^gh pr create --base main --head disaster-day\/prod /m,
      );
      expect(first.gh).toContain("Merge only after the state failback");

      // The next step builds on it (the failover's config is in its stack file) and pushes to the
      // open pull request, opening no other.
      const second = dispatch("failover-resize", {
        OPEN_PR: "https://github.com/o/r/pull/9",
      });
      expect(second.out).toContain("building on disaster-day/prod");
      expect(second.file).toContain("  # failover\n  # failover-resize");
      expect(second.branch.split("\n")).toHaveLength(3);
      expect(second.gh).not.toContain("pr create");
      expect(second.gh).toContain(
        "gh pr list --head disaster-day/prod --state open",
      );

      // Once its pull request is merged at its tip, the next disaster starts again from main,
      // replacing the finished branch.
      const next = dispatch("failover", { MERGED: "1" });
      expect(next.out).toContain(
        "is merged to main: a new disaster's first step",
      );
      expect(next.exported.LEASE).toMatch(/^[0-9a-f]{40}$/);
      expect(next.file).not.toContain("failover-resize");
      expect(next.branch.split("\n")).toHaveLength(2);
      expect(next.gh).toContain("pr create");
      fs.rmSync(dir, { recursive: true, force: true });
    }, 60_000); // some 40 git and bash processes: slow on a loaded runner

    it("allows each step only at the tiers whose runbook takes it", () => {
      const check = runOf(/is no step of/);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-steps-"));
      fs.mkdirSync(path.join(dir, "stacks"));
      const run = (tier: string, step: string) => {
        fs.writeFileSync(
          path.join(dir, "stacks", "Pulumi.prod.yaml"),
          `config:\n  dr:tier: ${tier}\n`,
        );
        return spawnSync("bash", ["-e", "-c", check.run], {
          cwd: dir,
          encoding: "utf8",
          env: {
            ...process.env,
            STACK: "prod",
            STEP: step,
            GITHUB_ENV: path.join(dir, "env"),
          },
        }).status;
      };
      expect(run("active-active", "failback-freeze")).toBe(0);
      expect(run("pilot-light", "failover-resize")).toBe(0);
      expect(run("active-active", "failback-release")).toBe(1);
      expect(run("backup-restore", "failback-release")).toBe(0);
      expect(run("backup-restore", "failback-normal")).toBe(0);
      expect(run("backup-restore", "failover-resize")).toBe(1);
      fs.rmSync(dir, { recursive: true });
    });
  });

  it.each(["pulumi-up.yml", "disaster-day.yml"])(
    "%s requires the project layout by reading this stack alone as organization/aws-dr/<stack>, before anything touches the stack",
    (file) => {
      const steps = Object.values(workflow(file).jobs)[0].steps ?? [];
      const layout = steps.findIndex(
        (s) => s.name === "The backend has the project layout",
      );
      expect(layout).toBeGreaterThan(-1);
      const run = steps[layout].run ?? "";
      // `pulumi stack ls` reads every stack's checkpoint: the deploy roles may read only theirs.
      expect(run).not.toMatch(/stack ls/);
      expect(run).toContain(
        'pulumi stack output --stack "organization/aws-dr/$STACK" --json',
      );
      const touches = steps.findIndex(
        (s) =>
          /pulumi (refresh|config set)/.test(s.run ?? "") ||
          s.with?.command === "up",
      );
      expect(layout).toBeLessThan(touches);

      // Run it with a stand-in pulumi: a project-layout bucket answers the full name; a legacy one
      // (pulumi#22236), or one without the stack, does not.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-layout-"));
      fs.writeFileSync(
        path.join(dir, "pulumi"),
        `#!/usr/bin/env bash
echo "$@" >> "$CALLS"
case "$1" in
  login) exit 0 ;;
  stack) if [ "$LAYOUT" = project ] && [ "$*" = "stack output --stack organization/aws-dr/prod --json" ]; then echo '{}'; exit 0; fi
         echo "error: no stack named '$4' found" >&2; exit 255 ;;
esac
exit 3
`,
        { mode: 0o755 },
      );
      const check = (layout: string) => {
        const calls = path.join(dir, "calls");
        fs.rmSync(calls, { force: true });
        const result = spawnSync("bash", ["-e", "-c", run], {
          cwd: dir,
          encoding: "utf8",
          env: {
            ...process.env,
            PATH: `${dir}:${process.env.PATH}`,
            STACK: "prod",
            PULUMI_BACKEND_URL: "s3://state?region=us-east-1",
            LAYOUT: layout,
            CALLS: calls,
          },
        });
        return {
          code: result.status,
          out: result.stdout + result.stderr,
          calls: fs.readFileSync(calls, "utf8").trim().split("\n"),
        };
      };
      const project = check("project");
      expect(project).toMatchObject({ code: 0, out: "" });
      expect(project.calls).toEqual([
        "login s3://state?region=us-east-1",
        "stack output --stack organization/aws-dr/prod --json",
      ]);
      const legacy = check("legacy");
      expect(legacy.code).toBe(1);
      expect(legacy.out).toContain("error: no stack named"); // the CLI's own error, shown
      expect(legacy.out).toContain(
        "::error::the backend cannot read the stack organization/aws-dr/prod",
      );
      expect(legacy.out).toContain(
        "run pulumi state upgrade on it (docs/ci-and-state.md#project-layout)",
      );
      fs.rmSync(dir, { recursive: true });
    },
  );

  it.each(["pulumi-up.yml", "disaster-day.yml"])(
    "%s refuses a stack file that sets dr:overrideDeployedState unless the dispatch allows it",
    (file) => {
      const step = (Object.values(workflow(file).jobs)[0].steps ?? []).find(
        (s) => s.run?.includes("dr:overrideDeployedState"),
      ) as Step & { run: string };
      expect(step.env?.ALLOW_OVERRIDE).toBe(
        "${{ inputs.allow-deployed-state-override }}",
      );
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-override-"));
      fs.mkdirSync(path.join(dir, "stacks"));
      const check = (allow: string) =>
        spawnSync("bash", ["-e", "-c", step.run], {
          cwd: dir,
          encoding: "utf8",
          env: { ...process.env, STACK: "prod", ALLOW_OVERRIDE: allow },
        });
      const stackFile = path.join(dir, "stacks", "Pulumi.prod.yaml");
      fs.writeFileSync(stackFile, "config:\n  dr:tier: pilot-light\n");
      expect(check("false").status).toBe(0);
      fs.writeFileSync(
        stackFile,
        'config:\n  dr:tier: pilot-light\n  dr:overrideDeployedState: "tier=pilot-light"\n',
      );
      expect(check("false").status).toBe(1);
      expect(check("false").stdout).toContain(
        "::error::dr:overrideDeployedState is set in stacks/Pulumi.prod.yaml",
      );
      expect(check("true").status).toBe(0);
      fs.rmSync(dir, { recursive: true });
    },
  );

  it("deploy.yml passes a dispatch's explicit allowance of the override to each stack, false on a push", () => {
    const deploy = workflow("deploy.yml");
    expect(
      deploy.on.workflow_dispatch?.inputs?.["allow-deployed-state-override"],
    ).toMatchObject({ type: "boolean", default: false });
    for (const job of Object.values(deploy.jobs))
      expect(job.with?.["allow-deployed-state-override"]).toBe(
        "${{ inputs.allow-deployed-state-override == true }}",
      );
    expect(
      workflow("pulumi-up.yml").on.workflow_call?.inputs?.[
        "allow-deployed-state-override"
      ],
    ).toMatchObject({ type: "boolean", default: false });
  });
});
