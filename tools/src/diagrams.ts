// `npm run diagrams`: regenerates docs/environments.md's diagram of every environment (`plan
// --mermaid` of each stacks/Pulumi.<env>.yaml), between the markers <!-- diagram:<env> --> and
// <!-- /diagram:<env> -->, adding the section of a new environment and removing a gone one's.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ProgramError, type Program } from "@aws-dr/offline-plan";
import { commandLineOnly, exitWith, HELP_LINE } from "./args";
import { evaluate } from "./evaluate";
import { renderMermaid } from "./mermaid";
import { REPO_ROOT, stackNames, UsageError } from "./stack-config";

/** docs/environments.md of a repository root. */
export const environmentsDoc = (root = REPO_ROOT) =>
  path.join(root, "docs", "environments.md");
export const ENVIRONMENTS_DOC = environmentsDoc();

/** Input the generator cannot work with (a malformed doc): exit 2, as bad config. */
export class DiagramsError extends Error {}

export const DIAGRAMS_USAGE = `usage: npm run diagrams
  writes docs/environments.md's diagram of each environment, from plan --mermaid of its stack file (no options)
${HELP_LINE}`;

/** The command line: the usage for --help, exit 2 for any argument; undefined to draw the diagrams. */
export const diagramsCommandLine = (argv: string[]) =>
  commandLineOnly(argv, { usage: DIAGRAMS_USAGE, options: {} });

const block = (env: string) =>
  new RegExp(
    `(<!-- diagram:${env} -->\\n)[\\s\\S]*?(<!-- /diagram:${env} -->)`,
  );
/** An environment's whole section as this generator adds it: heading, block, blank line. */
const section = (env: string) =>
  new RegExp(
    `(### ${env}\\n\\n)?<!-- diagram:${env} -->\\n[\\s\\S]*?<!-- /diagram:${env} -->\\n(\\n|$)`,
  );
const fenced = (diagram: string) => `\n\`\`\`mermaid\n${diagram}\n\`\`\`\n\n`;

/** The environments whose diagram blocks a doc holds, in order; throws on an unclosed block. */
export function diagramBlocks(doc: string): string[] {
  const envs = [...doc.matchAll(/<!-- diagram:([a-z][a-z0-9-]*) -->/g)].map(
    (m) => m[1],
  );
  for (const env of envs)
    if (!block(env).test(doc))
      throw new DiagramsError(
        `docs/environments.md: <!-- diagram:${env} --> has no <!-- /diagram:${env} --> after it`,
      );
  return envs;
}

/**
 * The doc with exactly one diagram block per environment of `diagrams`: each existing block
 * replaced by its diagram, a section (### <env> and its block) added after the last block for an
 * environment without one, and the block (with its heading) of an environment that has no stack
 * file any more removed. Throws a DiagramsError when the doc has no block to add one after.
 */
export function embedDiagrams(
  doc: string,
  diagrams: Record<string, string>,
): string {
  let result = doc;
  for (const env of diagramBlocks(doc))
    if (!(env in diagrams)) result = result.replace(section(env), "");
  for (const [env, diagram] of Object.entries(diagrams))
    result = embedDiagram(result, env, diagram);
  return result;
}

/** The doc with env's block replaced by its diagram, or its section added after the last block. */
function embedDiagram(doc: string, env: string, diagram: string): string {
  if (block(env).test(doc))
    return doc.replace(
      block(env),
      (_m, open: string, close: string) =>
        // Formatted as prettier leaves it: a blank line around the fenced block.
        `${open}${fenced(diagram)}${close}`,
    );
  const closes = [...doc.matchAll(/<!-- \/diagram:[a-z0-9-]+ -->\n/g)];
  const last = closes[closes.length - 1];
  if (!last)
    throw new DiagramsError(
      `docs/environments.md has no <!-- diagram:<env> --> ... <!-- /diagram:<env> --> block to add ${env}'s after`,
    );
  const at = last.index + last[0].length;
  return `${doc.slice(0, at)}\n### ${env}\n\n<!-- diagram:${env} -->\n${fenced(diagram)}<!-- /diagram:${env} -->\n${doc.slice(at)}`;
}

/**
 * Every environment's diagram (or those of `envs`), from its stack file (stacks/Pulumi.<env>.yaml
 * under root) as it is. `evaluator`: how a stack is planned (the tests pass theirs, which shares
 * evaluations).
 */
export async function currentDiagrams(
  program: Program,
  root = REPO_ROOT,
  evaluator: typeof evaluate = evaluate,
  envs = stackNames(root),
): Promise<Record<string, string>> {
  const diagrams: Record<string, string> = {};
  for (const env of envs) {
    try {
      diagrams[env] = renderMermaid(await evaluator(program, env, [], root));
    } catch (thrown) {
      const err = thrown instanceof ProgramError ? thrown.cause : thrown;
      // A config error from the bundle is the bundle's own ConfigError class: a RunError.
      if (err instanceof UsageError || err instanceof pulumi.RunError) {
        const file = `stacks/Pulumi.${env}.yaml`;
        const message = oneLine((err as Error).message);
        throw new DiagramsError(
          message.startsWith(file) ? message : `${file}: ${message}`,
        );
      }
      throw thrown;
    }
  }
  return diagrams;
}

/** A message on one line: "Invalid stack configuration:\n  - a\n  - b" -> "...: a; b". */
function oneLine(message: string): string {
  const [head, ...rest] = message
    .split("\n")
    .map((l) => l.trim().replace(/^- /, ""))
    .filter(Boolean);
  return rest.length === 0
    ? head
    : `${head}${head.endsWith(":") ? " " : "; "}${rest.join("; ")}`;
}

/** Rewrites root's docs/environments.md with every stack's diagram; returns the environments. */
export async function writeDiagrams(
  program: Program,
  root = REPO_ROOT,
): Promise<string[]> {
  const diagrams = await currentDiagrams(program, root);
  fs.writeFileSync(
    environmentsDoc(root),
    embedDiagrams(readEnvironmentsDoc(root), diagrams),
  );
  return Object.keys(diagrams);
}

/**
 * Adds env's diagram to root's docs/environments.md, or replaces it, planning only its stack: the
 * other environments' blocks stay as they are (what writeDiagrams leaves them when they are current).
 */
export async function writeDiagram(
  program: Program,
  env: string,
  root = REPO_ROOT,
): Promise<void> {
  const doc = readEnvironmentsDoc(root);
  diagramBlocks(doc); // a malformed doc fails before the stack is planned
  const { [env]: diagram } = await currentDiagrams(program, root, evaluate, [
    env,
  ]);
  fs.writeFileSync(environmentsDoc(root), embedDiagram(doc, env, diagram));
}

function readEnvironmentsDoc(root: string): string {
  const file = environmentsDoc(root);
  if (!fs.existsSync(file))
    throw new DiagramsError(`${path.relative(root, file)} does not exist`);
  return fs.readFileSync(file, "utf8");
}

/**
 * The generator as its command runs it: exit 0 naming the environments drawn, or 2 with one line on
 * stderr (a stack file that does not evaluate, a malformed doc) and the doc left as it was.
 */
export async function runDiagrams(
  program: Program,
  root = REPO_ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const envs = await writeDiagrams(program, root);
    return {
      code: 0,
      stdout: `docs/environments.md: diagrams of ${envs.join(", ")}`,
      stderr: "",
    };
  } catch (err) {
    if (err instanceof DiagramsError)
      return {
        code: 2,
        stdout: "",
        stderr: `npm run diagrams: ${err.message}`,
      };
    throw err;
  }
}

/** The program as `pulumi up` runs it: the bundle in root's dist/stacks. */
export function loadProgramBundle(root = REPO_ROOT): Program {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is found at run time
  return require(path.join(root, "dist", "stacks", "index.js")) as Program;
}

// Its own bundle's (or source's) run only: new-env's bundle carries this module too, and there
// `require.main === module` holds as well.
const isDiagramsRun =
  require.main === module &&
  /^diagrams\.[jt]s$/.test(path.basename(process.argv[1] ?? ""));
const commandLine = isDiagramsRun
  ? diagramsCommandLine(process.argv.slice(2))
  : undefined;
if (commandLine) exitWith(commandLine);
else if (isDiagramsRun) {
  void runDiagrams(loadProgramBundle()).then(({ code, stdout, stderr }) => {
    if (stdout) process.stdout.write(`${stdout}\n`);
    if (stderr) process.stderr.write(`${stderr}\n`);
    process.exitCode = code;
  });
}
