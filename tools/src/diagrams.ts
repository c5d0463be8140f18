// `npm run diagrams`: regenerates docs/environments.md's diagram of each shipped environment (`plan
// --mermaid` of its stack file), between the markers <!-- diagram:<env> --> and <!-- /diagram:<env> -->.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Program } from "@aws-dr/offline-plan";
import { evaluate } from "./evaluate";
import { renderMermaid } from "./mermaid";
import { REPO_ROOT, stackNames } from "./stack-config";

export const ENVIRONMENTS_DOC = path.join(REPO_ROOT, "docs", "environments.md");

const block = (env: string) =>
  new RegExp(
    `(<!-- diagram:${env} -->\\n)[\\s\\S]*?(<!-- /diagram:${env} -->)`,
  );

/** The doc with each environment's block replaced by its diagram; throws if a block is missing. */
export function embedDiagrams(
  readme: string,
  diagrams: Record<string, string>,
): string {
  let result = readme;
  for (const [env, diagram] of Object.entries(diagrams)) {
    if (!block(env).test(result))
      throw new Error(
        `docs/environments.md has no <!-- diagram:${env} --> ... <!-- /diagram:${env} --> block`,
      );
    result = result.replace(
      block(env),
      (_m, open: string, close: string) =>
        // Formatted as prettier leaves it: a blank line around the fenced block.
        `${open}\n\`\`\`mermaid\n${diagram}\n\`\`\`\n\n${close}`,
    );
  }
  return result;
}

/** Every shipped environment's diagram, from its stack file as it is. */
export async function currentDiagrams(
  program: Program,
): Promise<Record<string, string>> {
  const diagrams: Record<string, string> = {};
  for (const env of stackNames())
    diagrams[env] = renderMermaid(await evaluate(program, env));
  return diagrams;
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is found at run time
  const program = require(
    path.join(REPO_ROOT, "dist", "stacks", "index.js"),
  ) as Program;
  void currentDiagrams(program).then((diagrams) => {
    fs.writeFileSync(
      ENVIRONMENTS_DOC,
      embedDiagrams(fs.readFileSync(ENVIRONMENTS_DOC, "utf8"), diagrams),
    );
    process.stdout.write(
      `docs/environments.md: diagrams of ${Object.keys(diagrams).join(", ")}\n`,
    );
  });
}
