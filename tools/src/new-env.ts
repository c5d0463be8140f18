// `npm run new-env -- --name <env> --tier <tier>`: adds an environment from a tier template
// (tools/templates/<tier>.yaml) as stacks/Pulumi.<env>.yaml, and its plan, preview and up Nx targets.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { TIERS, type Tier } from "@aws-dr/model";
import { REPO_ROOT, UsageError } from "./stack-config";

export const NEW_ENV_USAGE = `usage: npm run new-env -- --name <env> --tier <${TIERS.join("|")}>`;

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
    `# Environment ${name}, from tools/templates/${tier}.yaml: replace the AMI, zones, DNS zone and\n# sizes with yours, then \`npm run plan -- --stack ${name}\`.\n${template}`,
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

/** The command line: exit 0 naming the new file, or 2 with the problem. */
export function runNewEnv(argv: string[]): { code: number; message: string } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { name: { type: "string" }, tier: { type: "string" } },
    });
    if (!values.name || !values.tier)
      throw new UsageError(`--name and --tier are required\n${NEW_ENV_USAGE}`);
    const file = addEnvironment(values.name, values.tier);
    return {
      code: 0,
      message: `wrote ${path.relative(REPO_ROOT, file)}; plan it: npm run plan -- --stack ${values.name}`,
    };
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    )
      return { code: 2, message: (err as Error).message };
    throw err;
  }
}

if (require.main === module) {
  const { code, message } = runNewEnv(process.argv.slice(2));
  (code === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exitCode = code;
}
