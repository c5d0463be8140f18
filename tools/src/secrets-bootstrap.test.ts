// A stack file after `pulumi stack init --secrets-provider awskms://alias/aws-dr-<env>-secrets`
// (docs/ci-and-state.md#secrets): the CLI writes `secretsprovider:` and `encryptedkey:` beside
// `config:`, and they are committed (CI passes no secrets provider). The offline plan reads such a
// file as it reads any other: the same resources and outputs (a `secure:` database password in
// place of a generated one), a `secure:` value kept secret.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import program = require("@aws-dr/stacks");
import { stringify, parse } from "yaml";
import { evaluate } from "./evaluate";
import { readStack, REPO_ROOT } from "./stack-config";

const ENCRYPTED_KEY =
  "AQICAHh0ZXN0LW9ubHktbm90LWEtcmVhbC1rbXMtY2lwaGVydGV4dAAAAH4wfAYJKoZIhvcNAQcGoG8wbQIBADBoBgkqhkiG9w0BBwEwHgYJYIZIAWUDBAEuMBEEDA==";

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-secrets-"));
  fs.mkdirSync(path.join(root, "stacks"));
  const shipped = fs.readFileSync(
    path.join(REPO_ROOT, "stacks", "Pulumi.staging.yaml"),
    "utf8",
  );
  // What `pulumi stack init` and `pulumi config set --secret` leave in the file.
  const doc = parse(shipped) as { config: Record<string, unknown> };
  doc.config["dr:databasePassword"] = { secure: "v1:AAAA:BBBB" };
  fs.writeFileSync(
    path.join(root, "stacks", "Pulumi.staging.yaml"),
    `secretsprovider: awskms://alias/aws-dr-staging-secrets\nencryptedkey: ${ENCRYPTED_KEY}\n${stringify(doc)}`,
  );
});
afterAll(() => fs.rmSync(root, { recursive: true }));

describe("a stack file with the secrets provider's lines", () => {
  it("is read for its config alone: secretsprovider and encryptedkey are no config keys, the secure value stays secret", () => {
    const file = readStack("staging", root);
    expect(Object.keys(file.config)).not.toContain("secretsprovider");
    expect(Object.keys(file.config)).not.toContain("encryptedkey");
    expect(file.secretKeys).toEqual(["dr:databasePassword"]);
  });

  it("plans offline like the shipped file: the same resources and outputs, the file's secret password instead of a generated one", async () => {
    // One after the other: the mock runtime runs one program at a time either way.
    const withKey = await evaluate(program, "staging", [], root);
    const shipped = await evaluate(program, "staging");
    const urns = (plan: typeof withKey) =>
      plan.resources.map((r) => `${r.type}::${r.name}`).sort();
    const generated =
      "random:index/randomPassword:RandomPassword::database-password";
    expect(urns(withKey).length).toBeGreaterThan(20);
    expect(urns(shipped)).toContain(generated);
    expect(urns(withKey)).toEqual(urns(shipped).filter((u) => u !== generated));
    expect(Object.keys(withKey.outputs).sort()).toEqual(
      Object.keys(shipped.outputs).sort(),
    );
  });
});
