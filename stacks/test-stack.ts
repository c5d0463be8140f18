// The smallest valid stack config and a runner of the real program, for the stack tests.
import { cachedRun, type StackConfig } from "@aws-dr/testing";
import program = require("./index");

/** Every key the program requires, us-east-1 to us-west-2, nothing else. */
export const MINIMAL_CONFIG: StackConfig = {
  "dr:tier": "backup-restore",
  "dr:primaryRegion": "us-east-1",
  "dr:recoveryRegion": "us-west-2",
  "dr:app": { amiId: "ami-0123456789abcdef0" },
  "dr:network": {
    primaryZones: ["us-east-1a", "us-east-1b"],
    recoveryZones: ["us-west-2a", "us-west-2b"],
  },
};

/** A runner of the program on `base` plus per-test overrides, as stack "test". A password is set
 * the way Pulumi requires, with `--secret`. Each config runs once per test run: a later run of it
 * gets a fresh copy of the first one's records, outputs and warnings (@aws-dr/testing's cachedRun);
 * a config the program refuses throws its ProgramError every time. */
export const runnerOf =
  (base: StackConfig) =>
  (
    overrides: StackConfig = {},
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
