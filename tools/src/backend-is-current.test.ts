// tools/ci/backend-is-current.sh, the workflows' check that the state backend is current before a
// `pulumi up` (docs/deployed-state.md#freshness), run with stand-ins for the pulumi, aws and npm
// commands it calls: the recovery region's copy of the state against the backend's drState.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SCRIPT = path.resolve(__dirname, "..", "ci", "backend-is-current.sh");
const STATE = {
  schema: 1,
  tier: "pilot-light",
  failover: true,
  failoverStep: "promote",
  failback: "none",
  generation: 1,
  engine: "postgres",
  primaryRegion: "eu-west-1",
  recoveryRegion: "eu-central-1",
};

let bin: string;
beforeAll(() => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-ci-"));
  const stub = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${body}\n`, {
      mode: 0o755,
    });
  stub(
    "pulumi",
    `case "$1 $2" in
  "config get") echo eu-central-1 ;;
  "stack output") if [ -n "$BACKEND" ]; then echo "$BACKEND"; else echo "no output" >&2; exit 1; fi ;;
  *) exit 3 ;;
esac`,
  );
  stub(
    "aws",
    `echo "$@" >> "$CALLS"
if [ "$COPY" = down ]; then echo "Could not connect to the endpoint URL" >&2; exit 255; fi
if [ -z "$COPY" ]; then echo "An error occurred (ParameterNotFound) when calling the GetParameter operation" >&2; exit 254; fi
echo "$COPY"`,
  );
  stub("npm", `echo "{\\"outputs\\":{\\"drState\\":$DESIRED}}"`);
});
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

function check(
  env: { copy?: unknown; backend?: unknown; desired?: unknown },
  mode = "optional",
) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-ci-run-"));
  const calls = path.join(cwd, "calls");
  const json = (v: unknown) =>
    v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  const run = spawnSync("bash", [SCRIPT, "prod", mode], {
    cwd,
    encoding: "utf8",
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      COPY: json(env.copy),
      BACKEND: json(env.backend),
      DESIRED: json(env.desired ?? { ...STATE, sequence: 1 }),
      CALLS: calls,
    },
  });
  const asked = fs.existsSync(calls) ? fs.readFileSync(calls, "utf8") : "";
  fs.rmSync(cwd, { recursive: true, force: true });
  return { code: run.status, out: run.stdout + run.stderr, asked };
}

describe("the backend freshness check", () => {
  it("reads the copy of the stack's state in its recovery region", () => {
    expect(check({}).asked.trim()).toBe(
      "ssm get-parameter --region eu-central-1 --name /dr-state/aws-dr/prod --query Parameter.Value --output text",
    );
  });

  it("passes a backend whose drState is as far as the copy, and one with no copy yet", () => {
    const same = { ...STATE, sequence: 3 };
    expect(check({ copy: same, backend: same })).toMatchObject({
      code: 0,
      out: expect.stringContaining("the backend is current: sequence 3"),
    });
    expect(check({ backend: same })).toMatchObject({
      code: 0,
      out: expect.stringContaining("nothing to compare"),
    });
  });

  it("refuses a backend behind the copy, naming both sequences", () => {
    const copy = { ...STATE, failoverStep: "resize", sequence: 4 };
    const result = check({ copy, backend: { ...STATE, sequence: 3 } });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /::error::the state backend is behind: its drState has sequence 3, the copy in eu-central-1 has 4/,
    );
    // No drState at all (a backend that lost the stack's first updates) is sequence 0.
    expect(check({ copy }).code).toBe(1);
  });

  it("lets a retry of the copy's own move past (the update made it real, then failed before its outputs)", () => {
    const copy = { ...STATE, failoverStep: "resize", sequence: 4 };
    const result = check({
      copy,
      backend: { ...STATE, sequence: 3 },
      desired: { ...copy, sequence: 1 },
    });
    expect(result).toMatchObject({
      code: 0,
      out: expect.stringContaining("this run retries that move"),
    });
  });

  it("fails when the copy cannot be read where it is required (disaster day), and warns otherwise", () => {
    const backend = { ...STATE, sequence: 3 };
    expect(check({ copy: "down", backend }, "required")).toMatchObject({
      code: 1,
      out: expect.stringContaining("the backend's freshness is unknown"),
    });
    expect(check({ copy: "down", backend })).toMatchObject({
      code: 0,
      out: expect.stringContaining("is the recovery region down?"),
    });
  });
});
