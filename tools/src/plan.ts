// `npm run plan`: evaluates a stack offline. Exit 0 with the plan on stdout; exit 2 with the
// problem on stderr and nothing on stdout for bad config or arguments; exit 1 for a program bug.
import { loadBuiltProgram, runCli } from "./cli";

process.on("unhandledRejection", (err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

runCli(process.argv.slice(2), loadBuiltProgram()).then(
  ({ code, stdout, stderr }) => {
    if (stdout) process.stdout.write(`${stdout}\n`);
    if (stderr) process.stderr.write(`${stderr}\n`);
    process.exitCode = code;
  },
);
