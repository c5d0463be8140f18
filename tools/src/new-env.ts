// `npm run new-env -- --name <env> --tier <tier>`: adds an environment from a tier template
// (tools/templates/<tier>.yaml) as stacks/Pulumi.<env>.yaml, its plan, preview and up Nx targets,
// and its diagram in docs/environments.md (what `npm run diagrams` writes), so the repo's checks
// pass with it as they did before.
import * as fs from "node:fs";
import * as path from "node:path";
import { PLACEHOLDER_AMI_ID } from "@aws-dr/contracts";
import { TIERS, type Tier } from "@aws-dr/model";
import type { Program } from "@aws-dr/offline-plan";
import {
  DiagramsError,
  environmentsDoc,
  loadProgramBundle,
  writeDiagram,
} from "./diagrams";
import { HELP_LINE, parseCommandLine } from "./args";
import { REPO_ROOT, UsageError } from "./stack-config";

export const NEW_ENV_USAGE = `usage: npm run new-env -- --name <env> --tier <${TIERS.join("|")}>
  writes stacks/Pulumi.<env>.yaml from the tier's template (its placeholders marked REPLACEME), the
  stack's Nx targets and its diagram in docs/environments.md
${HELP_LINE}`;

const NEW_ENV_COMMAND = {
  usage: NEW_ENV_USAGE,
  options: { name: { type: "string" }, tier: { type: "string" } },
} as const;

/** The Nx targets every environment has, as configurations of the stacks project. */
const ENV_TARGETS = ["plan", "preview", "up"] as const;

interface StacksPackage {
  nx: {
    targets: Record<
      string,
      { configurations: Record<string, { args: string }> }
    >;
  };
}

/**
 * Writes stacks/Pulumi.<name>.yaml from the tier's template and adds the environment to the stacks
 * project's plan/preview/up targets. Refuses a bad name, an unknown tier and an existing stack.
 * Returns the stack file's path.
 */
export function addEnvironment(
  name: string,
  tier: string,
  root = REPO_ROOT,
  templates = path.join(REPO_ROOT, "tools", "templates"),
): string {
  // Pulumi stack names allow more; this keeps names usable in resource names and SSM paths.
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(name))
    throw new UsageError(
      `--name ${JSON.stringify(name)}: must be 1-20 lowercase letters, digits and hyphens, starting with a letter`,
    );
  if (!TIERS.includes(tier as Tier))
    throw new UsageError(
      `--tier ${JSON.stringify(tier)}: must be one of ${TIERS.join(", ")}`,
    );
  const stackFile = path.join(root, "stacks", `Pulumi.${name}.yaml`);
  if (fs.existsSync(stackFile))
    throw new UsageError(
      `--name ${name}: stacks/Pulumi.${name}.yaml exists already`,
    );
  const template = fs.readFileSync(
    path.join(templates, `${tier}.yaml`),
    "utf8",
  );
  fs.writeFileSync(
    stackFile,
    `# Environment ${name}, from tools/templates/${tier}.yaml: replace its placeholders (the values\n# containing REPLACEME, the AMI id ${PLACEHOLDER_AMI_ID}: \`npm run plan -- --stack ${name}\` warns of\n# each) and check the zones and sizes.\n${template}`,
  );
  const packageFile = path.join(root, "stacks", "package.json");
  const pkg = JSON.parse(fs.readFileSync(packageFile, "utf8")) as StacksPackage;
  for (const target of ENV_TARGETS)
    pkg.nx.targets[target].configurations[name] = {
      args: target === "plan" ? `--stack ${name}` : `-s ${name}`,
    };
  fs.writeFileSync(packageFile, `${JSON.stringify(pkg, null, 2)}\n`);
  return stackFile;
}

/**
 * Adds the environment (addEnvironment) and its diagram to root's docs/environments.md, evaluating
 * the new stack with `program`. When the diagram cannot be made, takes the stack file and targets
 * back out, leaving the repository as it was, and throws.
 */
export async function addEnvironmentWithDiagram(
  name: string,
  tier: string,
  program: () => Program,
  root = REPO_ROOT,
): Promise<string> {
  const packageFile = path.join(root, "stacks", "package.json");
  const pkgBefore = fs.readFileSync(packageFile, "utf8");
  const stackFile = addEnvironment(name, tier, root);
  try {
    await writeDiagram(program(), name, root);
  } catch (err) {
    fs.rmSync(stackFile);
    fs.writeFileSync(packageFile, pkgBefore);
    throw err;
  }
  return stackFile;
}

/** The command line: exit 0 naming what it wrote, or 2 with the problem (nothing written). */
export async function runNewEnv(
  argv: string[],
  /** The program the new stack's diagram is drawn with: the built bundle, as `npm run diagrams`. */
  program: () => Program = () => loadProgramBundle(),
  root = REPO_ROOT,
): Promise<{ code: number; message: string }> {
  try {
    const parsed = parseCommandLine(argv, NEW_ENV_COMMAND);
    if (parsed === "help") return { code: 0, message: NEW_ENV_USAGE };
    const { values } = parsed;
    if (!values.name || !values.tier)
      throw new UsageError(`--name and --tier are required\n${NEW_ENV_USAGE}`);
    const file = await addEnvironmentWithDiagram(
      values.name,
      values.tier,
      program,
      root,
    );
    return {
      code: 0,
      message: `wrote ${path.relative(root, file)}, its plan, preview and up targets (stacks/package.json) and its diagram (${path.relative(root, environmentsDoc(root))}); replace its placeholders, which the plan warns of: npm run plan -- --stack ${values.name}`,
    };
  } catch (err) {
    if (err instanceof UsageError || err instanceof DiagramsError)
      return { code: 2, message: (err as Error).message };
    throw err;
  }
}

if (require.main === module) {
  void runNewEnv(process.argv.slice(2)).then(({ code, message }) => {
    (code === 0 ? process.stdout : process.stderr).write(`${message}\n`);
    process.exitCode = code;
  });
}
