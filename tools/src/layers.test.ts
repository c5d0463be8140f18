// The repo's ESLint config keeps the layers apart (eslint.config.mjs): the DR model imports no AWS
// resource, and the components do not import the model's config schema. Snippets linted as if they
// sat in each folder must get exactly the rule's error where a layer is crossed, and none elsewhere.
import * as path from "node:path";
import { ESLint } from "eslint";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const RULE = "@typescript-eslint/no-restricted-imports";

const FROM_AWS =
  'import * as s3 from "@pulumi/aws/s3";\n\nexport const b = s3;\n';
const FROM_AWSX =
  'import * as ec2 from "@pulumi/awsx/ec2";\n\nexport const v = ec2;\n';
const FROM_MODEL =
  'import { TIERS } from "@aws-dr/model";\n\nexport const t = TIERS;\n';
const FROM_KIT =
  'import { ROLE_TAG } from "@aws-dr/contracts";\nimport { defaultTags } from "@aws-dr/aws-kit";\n\nexport const k = [ROLE_TAG, defaultTags];\n';

/** The restricted-import messages ESLint gives `code` as the file `file` of the repository. */
const eslint = new ESLint({ cwd: REPO_ROOT });
async function restrictions(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {
    filePath: path.join(REPO_ROOT, file),
  });
  return result.messages
    .filter((m) => m.ruleId === RULE || m.fatal)
    .map((m) => m.message);
}

describe("the layers' import rules", () => {
  it("refuse an AWS import in the DR model", async () => {
    for (const code of [FROM_AWS, FROM_AWSX])
      expect(await restrictions("packages/model/src/new.ts", code)).toEqual([
        expect.stringContaining(
          "The DR model (@aws-dr/model) declares no AWS resource",
        ),
      ]);
  });

  it("refuse the model in a component or the AWS kit, outside its tests", async () => {
    for (const pkg of ["aws-kit", "storage", "replication", "dns", "compute"])
      expect(
        await restrictions(`packages/${pkg}/src/new.ts`, FROM_MODEL),
      ).toEqual([
        expect.stringContaining(
          "A component takes typed arguments from the program",
        ),
      ]);
    expect(
      await restrictions("packages/compute/src/new.test.ts", FROM_MODEL),
    ).toEqual([]);
  });

  it("let a component import the kit and AWS, and the program import everything", async () => {
    expect(await restrictions("packages/compute/src/new.ts", FROM_KIT)).toEqual(
      [],
    );
    expect(await restrictions("packages/compute/src/new.ts", FROM_AWS)).toEqual(
      [],
    );
    for (const code of [FROM_AWS, FROM_MODEL, FROM_KIT])
      expect(await restrictions("stacks/wiring/new.ts", code)).toEqual([]);
  });

  it("still refuse @pulumi/aws's root everywhere, in these folders too", async () => {
    const root =
      'import * as aws from "@pulumi/aws";\n\nexport const a = aws;\n';
    for (const file of [
      "packages/model/src/new.ts",
      "packages/compute/src/new.ts",
      "stacks/new.ts",
    ])
      expect(await restrictions(file, root)).toContainEqual(
        expect.stringContaining("Import the service"),
      );
  });
});
