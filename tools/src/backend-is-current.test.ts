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
  // Plain sh, not bash through env: the checks below start some hundred stand-ins, each in a third
  // of the time (and printf, as sh's echo would read a backslash in a value as an escape).
  const stub = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, {
      mode: 0o755,
    });
  stub(
    "pulumi",
    `case "$1 $2" in
  "config get") echo eu-central-1 ;;
  "stack output") if [ -n "$BACKEND" ]; then printf '%s\\n' "$BACKEND"; else echo "no output" >&2; exit 1; fi ;;
  *) exit 3 ;;
esac`,
  );
  stub(
    "aws",
    `echo "$@" >> "$CALLS"
if [ "$COPY" = down ]; then echo "Could not connect to the endpoint URL" >&2; exit 255; fi
if [ -z "$COPY" ]; then echo "An error occurred (ParameterNotFound) when calling the GetParameter operation" >&2; exit 254; fi
printf '%s\\n' "$COPY"`,
  );
  stub("npm", `printf '{"outputs":{"drState":%s}}\\n' "$DESIRED"`);
});
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

function check(
  env: {
    copy?: unknown;
    backend?: unknown;
    desired?: unknown;
    backendKind?: string;
  },
  mode = "optional",
  accept?: string,
) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-ci-run-"));
  const calls = path.join(cwd, "calls");
  const json = (v: unknown) =>
    v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  const summary = path.join(cwd, "summary");
  const args = [
    SCRIPT,
    "prod",
    mode,
    ...(accept === undefined ? [] : [accept]),
  ];
  const run = spawnSync("bash", args, {
    cwd,
    encoding: "utf8",
    env: {
      GITHUB_STEP_SUMMARY: summary,
      PATH: `${bin}:${process.env.PATH}`,
      COPY: json(env.copy),
      BACKEND: json(env.backend),
      DESIRED: json(env.desired ?? { ...STATE, sequence: 1 }),
      CALLS: calls,
      ...(env.backendKind ? { BACKEND_KIND: env.backendKind } : {}),
    },
  });
  const read = (file: string) =>
    fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const asked = read(calls);
  const summarized = read(summary);
  const left = fs
    .readdirSync(cwd)
    .filter((f) => f !== "calls" && f !== "summary");
  fs.rmSync(cwd, { recursive: true, force: true });
  return {
    code: run.status,
    out: run.stdout + run.stderr,
    asked,
    summary: summarized,
    left,
  };
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
    // No copy and no drState: a first deployment (or none since the copy was added).
    expect(check({}, "required")).toMatchObject({
      code: 0,
      out: expect.stringContaining("nothing to compare"),
    });
  });

  it.each(["optional", "required"])(
    "refuses a backend behind the copy, naming both sequences (%s)",
    (mode) => {
      const copy = { ...STATE, failoverStep: "resize", sequence: 4 };
      const result = check({ copy, backend: { ...STATE, sequence: 3 } }, mode);
      expect(result.code).toBe(1);
      expect(result.out).toMatch(
        /::error::the state backend is behind: the copy in eu-central-1 has sequence 4 \(.*\), the backend's drState 3/,
      );
      // No drState at all (a backend that lost the stack's first updates) is sequence 0.
      expect(check({ copy }, mode).code).toBe(1);
    },
  );

  it("lets a retry of the copy's own move past on disaster day (the update made it real, then failed before its outputs)", () => {
    const copy = { ...STATE, failoverStep: "resize", sequence: 4 };
    const result = check(
      {
        copy,
        backend: { ...STATE, sequence: 3 },
        desired: { ...copy, sequence: 1 },
      },
      "required",
    );
    expect(result).toMatchObject({
      code: 0,
      out: expect.stringContaining("this run retries that move"),
    });
  });

  it("lets no retry past from the primary backend on disaster day: before the state failback it holds the checkpoint from before the disaster", () => {
    const copy = { ...STATE, failoverStep: "resize", sequence: 4 };
    const result = check(
      {
        copy,
        backend: { ...STATE, sequence: 3 },
        desired: { ...copy, sequence: 1 },
        backendKind: "primary",
      },
      "required",
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain("::error::the state backend is behind");
  });

  it("refuses an ordinary deploy from a backend behind the copy even when the stack file equals the copy (a disaster-day pull request merged before the state failback)", () => {
    // The failover ran from the failover bucket (the copy at 2, failed over); the primary bucket
    // still holds the checkpoint from before the disaster (1, normal), and main now says failover.
    const failedOver = { ...STATE, failoverStep: "promote", sequence: 2 };
    const result = check({
      copy: failedOver,
      backend: { ...STATE, failover: false, sequence: 1 },
      desired: { ...failedOver, sequence: 2 },
    });
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      "::error::the state backend is behind: the copy in eu-central-1 has sequence 2",
    );
    expect(result.out).toContain(
      "The primary backend lacks the failover's updates: run the state failback first (docs/disaster-day.md#state-failback)",
    );
    expect(result.out).not.toContain("retries");
    // Nor can a dispatch accept it: accepting is disaster day's alone.
    expect(
      check(
        { copy: failedOver, backend: { ...STATE, sequence: 1 } },
        "optional",
        "2",
      ),
    ).toMatchObject({
      code: 2,
      out: expect.stringContaining("disaster day only"),
    });
  });

  it("on disaster day runs past a copy ahead only when the dispatch accepts that very sequence, loudly", () => {
    // The last update before the outage never replicated: the copy can never be caught up.
    const copy = { ...STATE, failover: false, sequence: 7 };
    const backend = {
      ...STATE,
      failover: false,
      failoverStep: "promote",
      sequence: 6,
    };
    const desired = { ...STATE, sequence: 1 }; // the failover: not the copy's state
    const refused = check({ copy, backend, desired }, "required");
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      "dispatch again with accept-state-copy-sequence=7",
    );
    const wrong = check({ copy, backend, desired }, "required", "6");
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain(
      "(accept-state-copy-sequence=6 is not the copy's sequence)",
    );
    const accepted = check({ copy, backend, desired }, "required", "7");
    expect(accepted.code).toBe(0);
    expect(accepted.out).toMatch(
      /::warning::the copy in eu-central-1 has sequence 7 .*, the backend's drState 6; accepted \(accept-state-copy-sequence=7\)/,
    );
    expect(accepted.summary).toContain("accepted by the operator");
    // An accepted sequence changes nothing for a backend that is current.
    expect(
      check({ copy: backend, backend, desired }, "required", "7"),
    ).toMatchObject({
      code: 0,
      out: expect.stringContaining("the backend is current: sequence 6"),
    });
    // Only a number or `missing`: a typo is no acceptance.
    expect(check({ copy, backend, desired }, "required", "seven").code).toBe(2);
  });

  it("refuses a copy that is gone while the backend has a sequence (deleted) on disaster day unless accepted, and warns on an ordinary deploy", () => {
    const backend = { ...STATE, sequence: 3 };
    const refused = check({ backend }, "required");
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      "::error::the copy /dr-state/aws-dr/prod in eu-central-1 is gone while the backend's drState has sequence 3",
    );
    expect(refused.out).toContain("accept-state-copy-sequence=missing");
    expect(check({ backend }, "required", "missing")).toMatchObject({
      code: 0,
      out: expect.stringContaining(
        "accepted (accept-state-copy-sequence=missing)",
      ),
    });
    expect(check({ backend }, "required", "3").code).toBe(1);
    expect(check({ backend })).toMatchObject({
      code: 0,
      out: expect.stringContaining(
        "::warning::the copy /dr-state/aws-dr/prod in eu-central-1 is gone",
      ),
    });
    // No drState in the backend either: a first deployment, in either mode.
    expect(check({}, "required").code).toBe(0);
  });

  it.each(["optional", "required"])(
    "refuses a malformed copy with a clear message (%s), never reading it as current",
    (mode) => {
      const backend = { ...STATE, sequence: 3 };
      for (const copy of [
        { ...STATE, sequence: null },
        { ...STATE },
        { ...STATE, sequence: "4" },
        { ...STATE, sequence: 2.5 },
        "not json {",
        "[]",
      ]) {
        const result = check({ copy, backend }, mode);
        expect([copy, result.code]).toEqual([copy, 1]);
        expect(result.out).toContain(
          "::error::the copy /dr-state/aws-dr/prod in eu-central-1 is no drState with a sequence",
        );
        expect(result.out).not.toContain("the backend is current");
        expect(result.out).not.toMatch(/jq: error|integer expression expected/);
      }
    },
  );

  it("leaves no file behind in the working directory", () => {
    expect(
      check({ copy: "down", backend: { ...STATE, sequence: 3 } }).left,
    ).toEqual([]);
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
