import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  OUT_OPTION,
  parseCommandLine,
  runCommand,
  STACK_OPTION,
  type CliResult,
} from "./args";
import { DIAGRAMS_USAGE, diagramsCommandLine } from "./diagrams";
import { UsageError } from "./stack-config";

const USAGE = "usage: tool -s|--stack <env> [--json] [--out <file>]";
const TOOL = {
  usage: USAGE,
  options: {
    ...STACK_OPTION,
    json: { type: "boolean", default: false },
    ...OUT_OPTION,
  },
} as const;

/** A command that prints its stack as JSON, exit 2 without one (as the tools refuse input). */
const tool = (argv: string[]) =>
  runCommand(argv, TOOL, ({ values }): Promise<CliResult> =>
    Promise.resolve(
      values.stack
        ? {
            code: 0,
            stdout: JSON.stringify({ stack: values.stack }),
            stderr: "w",
          }
        : { code: 2, stdout: "", stderr: "--stack is required" },
    ),
  );

const refusal = (argv: string[]) => {
  try {
    parseCommandLine(argv, TOOL);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
};

describe("the shared command line (args.ts)", () => {
  it("asks for help with -h or --help anywhere before --, whatever else is there", () => {
    for (const argv of [
      ["-h"],
      ["--help"],
      ["--stack", "dev", "--help"],
      ["--nonsense", "-h"],
    ])
      expect([argv, parseCommandLine(argv, TOOL)]).toEqual([argv, "help"]);
    expect(parseCommandLine(["-s", "dev", "--json"], TOOL)).toMatchObject({
      values: { stack: "dev", json: true },
    });
  });

  it("refuses in one plain sentence, then the usage", () => {
    expect(refusal(["--x"])).toBe(`unknown option --x\n${USAGE}`);
    expect(refusal(["-q"])).toBe(`unknown option -q\n${USAGE}`);
    expect(refusal(["--stack"])).toBe(`--stack needs a value\n${USAGE}`);
    expect(refusal(["-s", "--json"])).toBe(`-s needs a value\n${USAGE}`);
    expect(refusal(["--json=yes"])).toBe(`--json takes no value\n${USAGE}`);
    expect(refusal(["-s", "dev", "extra"])).toBe(
      `unexpected argument "extra"\n${USAGE}`,
    );
  });

  it("writes what stdout would print to --out's file, and nothing when the command refuses its input", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "args-out-"));
    try {
      const file = path.join(dir, "out.json");
      expect(await tool(["-s", "dev", "--out", file])).toEqual({
        code: 0,
        stdout: `wrote ${file}`,
        stderr: "w",
      });
      expect(fs.readFileSync(file, "utf8")).toBe('{"stack":"dev"}\n');
      fs.rmSync(file);
      expect(await tool(["--out", file])).toMatchObject({ code: 2 });
      expect(fs.existsSync(file)).toBe(false);
      expect(await tool(["--help", "--out", file])).toEqual({
        code: 0,
        stdout: USAGE,
        stderr: "",
      });
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run diagrams' command line", () => {
  it("prints its usage for -h or --help (exit 0), refuses any argument (exit 2), and otherwise runs", () => {
    for (const help of ["-h", "--help"])
      expect(diagramsCommandLine([help])).toEqual({
        code: 0,
        stdout: DIAGRAMS_USAGE,
        stderr: "",
      });
    expect(diagramsCommandLine(["-s", "dev"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `unknown option -s\n${DIAGRAMS_USAGE}`,
    });
    expect(diagramsCommandLine(["dev"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `unexpected argument "dev"\n${DIAGRAMS_USAGE}`,
    });
    expect(diagramsCommandLine([])).toBeUndefined();
  });
});
