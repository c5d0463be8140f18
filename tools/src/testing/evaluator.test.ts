// The tool tests' evaluations come from the worker's evaluator outside the test files
// (evaluator.ts): it is there and knows both of cached-evaluate.ts's entries. That what it hands
// back is what a run in the test file records, stacks/test-evaluator.test.ts shows.
import { decodeExactJson, evaluateOutside } from "@aws-dr/testing";
import { evaluateStack, program } from "./cached-evaluate";

it("evaluates the plans of cached-evaluate.ts outside the test file", async () => {
  const outside = await evaluateOutside({
    entry: "evaluateStack",
    args: ["dev", []],
  });
  expect(outside).toBeDefined();
  expect(decodeExactJson(outside!)).toStrictEqual(
    await evaluateStack(program, "dev"),
  );
  const plan = await evaluateOutside({
    entry: "plan",
    args: ["dev", [], undefined, {}],
  });
  expect(decodeExactJson(plan!)).toMatchObject({ stack: "dev" });
});
