// runProgram and the one mock runtime of a process: runs take turns, and one that never ends is
// given up rather than holding every later run.
import { runLimits, runProgram } from "./run-program";

describe("runProgram", () => {
  it("runs one program at a time: a run started while another is under way waits for it", async () => {
    const events: string[] = [];
    const first = runProgram(
      async () => {
        events.push("first starts");
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push("first ends");
        return {};
      },
      "project",
      "one",
      { "p:key": "first" },
    );
    const second = runProgram(
      () => {
        events.push("second starts");
        return {};
      },
      "project",
      "two",
      { "p:key": "second" },
    );
    const [one, two] = await Promise.all([first, second]);
    expect(events).toEqual(["first starts", "first ends", "second starts"]);
    // Each with its own config, as the mock runtime held it while it ran.
    expect([one.config, two.config]).toEqual([
      { "p:key": "first" },
      { "p:key": "second" },
    ]);
  });

  it("gives up a run that has held the runtime for runLimits.aloneMs: the next one goes, with what the first changed put back", async () => {
    const aloneMs = runLimits.aloneMs;
    const limit = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
    const { prepareStackTrace } = Error;
    const warn = console.warn;
    runLimits.aloneMs = 200;
    try {
      void runProgram(() => new Promise<never>(() => undefined), "p", "s", {});
      const next = await runProgram(() => ({ answer: 42 }), "p", "s", {});
      expect(next.outputs).toEqual({ answer: 42 });
      expect([
        Object.getOwnPropertyDescriptor(Error, "stackTraceLimit"),
        Error.prepareStackTrace,
        console.warn,
      ]).toEqual([limit, prepareStackTrace, warn]);
    } finally {
      runLimits.aloneMs = aloneMs;
    }
  });
});
