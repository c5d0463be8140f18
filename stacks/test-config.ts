// The smallest valid stack config, for the stack tests (without the program, so config tests stay light).
import type { StackConfig } from "@aws-dr/testing";

/**
 * Every key the program requires, us-east-1 to us-west-2, nothing else, without the `dr:`
 * namespace: what parseConfig takes.
 */
export const MINIMAL_KEYS = {
  tier: "backup-restore",
  primaryRegion: "us-east-1",
  recoveryRegion: "us-west-2",
  app: { amiId: "ami-0123456789abcdef0" },
  network: {
    primaryZones: ["us-east-1a", "us-east-1b"],
    recoveryZones: ["us-west-2a", "us-west-2b"],
  },
};

/** The same as stack config, as the program reads it. */
export const MINIMAL_CONFIG: StackConfig = Object.fromEntries(
  Object.entries(MINIMAL_KEYS).map(([key, value]) => [`dr:${key}`, value]),
);
