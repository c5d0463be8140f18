// A runner of the real program for the stack tests (and, from test-config.ts, the smallest valid config).
import { cachedRun, type RawStackConfig } from "@aws-dr/testing";
import program = require("./index");

export { MINIMAL_CONFIG, MINIMAL_KEYS, TIER_TEST_CONFIG } from "./test-config";

/** A runner of the program on `base` plus per-test overrides, as stack "test". A password is set
 * the way Pulumi requires, with `--secret`. Each config runs once per test run: a later run of it
 * gets a fresh copy of the first one's records, outputs and warnings (@aws-dr/testing's cachedRun);
 * a config the program refuses throws its ProgramError every time. */
export const runnerOf =
  (base: RawStackConfig) =>
  (
    overrides: RawStackConfig = {},
    /** The stack's last outputs the program checks its move against; default: none given. */
    deployedOutputs?: Record<string, unknown>,
  ) =>
    cachedRun(
      program,
      "stacks source",
      "aws-dr",
      "test",
      { ...base, ...overrides },
      ["dr:databasePassword"],
      deployedOutputs,
    );
