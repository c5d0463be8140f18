// bench's judging and command line, with a fake runner: the benchmark itself (35 fresh processes)
// is not part of the test suite.
import {
  BENCH_USAGE,
  benchCases,
  judge,
  OnceFilter,
  runBench,
  summarize,
  type Runner,
} from "./bench";

const never: Runner = () => {
  throw new Error("ran a process");
};

describe("bench's judgement", () => {
  it("takes medians and the middle half of the runs as their spread", () => {
    expect(summarize([5, 1, 2, 4, 3])).toEqual({
      runs: 5,
      median: 3,
      low: 2,
      high: 4,
      spread: 2,
    });
    expect(summarize([1, 2, 3, 4, 5, 100]).median).toBe(3.5);
  });

  it("says within noise when the gap to 2x the load is smaller than the spread", () => {
    const load = summarize([1, 1, 1, 1, 1]);
    expect(judge(summarize([1.5, 1.5, 1.5, 1.5, 1.5]), load).verdict).toBe(
      "ok",
    );
    expect(judge(summarize([2.5, 2.5, 2.5, 2.5, 2.5]), load).verdict).toBe(
      "over target",
    );
    // Median 2.1 is over 2x, but its runs spread over 0.4 s: no verdict.
    const noisy = judge(summarize([1.8, 1.9, 2.1, 2.3, 2.4]), load);
    expect(noisy).toMatchObject({ verdict: "within noise" });
    expect(noisy.gap).toBeCloseTo(0.1);
    expect(noisy.noise).toBeCloseTo(0.4);
    // A noisy load widens it too (scaled by the target ratio).
    expect(
      judge(
        summarize([2.5, 2.5, 2.5, 2.5, 2.5]),
        summarize([0.7, 0.8, 1, 1.2, 1.3]),
      ).verdict,
    ).toBe("within noise");
  });

  it("prints each warning once", () => {
    const once = new OnceFilter();
    expect(once.fresh("warning: a\nnote: b\n")).toEqual([
      "warning: a",
      "note: b",
    ]);
    expect(once.fresh("warning: a\nwarning: c\n")).toEqual(["warning: c"]);
  });
});

describe("npm run bench, through its command line", () => {
  it("prints its usage for --help and -h and runs nothing", () => {
    for (const flag of ["--help", "-h"])
      expect(runBench([flag], { runner: never })).toEqual({
        code: 0,
        stdout: BENCH_USAGE,
        stderr: "",
      });
  });

  it("refuses fewer than five runs and unknown options (exit 2)", () => {
    expect(runBench(["--runs", "3"], { runner: never })).toMatchObject({
      code: 2,
    });
    const unknown = runBench(["--stack", "prod"], { runner: never });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split("\n")[0]).toBe("unknown option --stack");
  });

  it("shows progress, each warning once, and judges prod by its median", () => {
    const progress: string[] = [];
    const seconds = [1, 1.1, 0.9, 1, 1];
    let i = 0;
    const runner: Runner = (command, args) => ({
      seconds:
        (command === process.execPath ? 1 : args.includes("prod") ? 3 : 1.5) *
        seconds[i++ % 5],
      stderr: args.includes("prod") ? "warning: dr:x is not read\n" : "",
      status: 0,
    });
    const result = runBench([], {
      runner,
      cases: benchCases(["dev", "prod"]),
      progress: (line) => progress.push(line),
    });
    expect(result.code).toBe(1);
    expect(progress.filter((l) => l.startsWith("warning:"))).toEqual([
      "warning: dr:x is not read",
    ]);
    expect(progress).toContain(
      "[1/25] load @pulumi/pulumi + @pulumi/aws + @pulumi/awsx: 1.00 s",
    );
    expect(result.stdout).toMatch(/npm run plan dev +1\.50 s .* ok/);
    expect(result.stdout).toMatch(
      /npm run plan prod dr:tier=pilot-light +3\.00 s .*OVER TARGET/,
    );
  });
});
