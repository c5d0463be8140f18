// The tool tests' evaluations come from the worker's evaluator outside the test files
// (evaluator.ts): it is there, and what it hands back for both of cached-evaluate.ts's entries is
// what the same evaluation in the test file gives.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { decodeExactJson, evaluateOutside } from "@aws-dr/testing";
import { evaluate } from "../evaluate";
import { evaluateStack } from "../policy-check";
import { REPO_ROOT } from "../stack-config";
import { program } from "./cached-evaluate";

const outside = async (entry: string, args: unknown[]) => {
  const text = await evaluateOutside({ entry, args });
  expect(text).toBeDefined();
  return decodeExactJson(text!);
};

it("evaluates a stack for the policy checks outside the test file as in it", async () => {
  expect(await outside("evaluateStack", ["dev", ["dr:failover=true"]])).toEqual(
    await evaluateStack(program, "dev", ["dr:failover=true"]),
  );
});

it("plans a stack file of another root against a deployed state outside the test file as in it", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "aws-dr-evaluator-"));
  try {
    fs.cpSync(path.join(REPO_ROOT, "stacks"), path.join(root, "stacks"), {
      recursive: true,
      filter: (src) => src.endsWith(".yaml") || !path.extname(src),
    });
    const deployed = (await evaluate(program, "dev", [], root)).outputs;
    const overrides = ["dr:failover=true"];
    expect(await outside("plan", ["dev", overrides, root, deployed])).toEqual(
      await evaluate(program, "dev", overrides, root, deployed),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
