// The stack tests' runs come from the worker's evaluator outside the test files
// (test-evaluator.ts, @aws-dr/testing's outside-evaluator.ts): it is there, and what it hands
// back is what a run in the test file records.
import {
  decodeExactJson,
  evaluateOutside,
  recordsOfRun,
  runEntry,
  type RunArgs,
} from "@aws-dr/testing";
import { MINIMAL_CONFIG, program } from "./test-stack";

it("evaluates outside the test file what a run in the file records", async () => {
  const args: RunArgs = [
    "aws-dr",
    "test",
    MINIMAL_CONFIG,
    ["dr:databasePassword"],
    {},
  ];
  const outside = await evaluateOutside({
    entry: runEntry("stacks source"),
    args,
  });
  expect(outside).toBeDefined();
  const inFile = await recordsOfRun(program, ...args);
  expect(inFile.resources.length).toBeGreaterThan(50);
  expect(decodeExactJson(outside!)).toStrictEqual(inFile);
});
