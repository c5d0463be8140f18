// The smallest valid stack config, for the stack tests (without the program, so config tests stay light).
import type { RawStackConfig } from "@aws-dr/testing";

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
export const MINIMAL_CONFIG: RawStackConfig = Object.fromEntries(
  Object.entries(MINIMAL_KEYS).map(([key, value]) => [`dr:${key}`, value]),
);

/**
 * The base of the stack tests that evaluate whole tiers for what they build (least privilege, the
 * permissions boundary, the Region switch plan): the minimal config with DNS, alerts by email,
 * recovery targets and an hourly backup. One object for all of them, so the same overrides give
 * the same run-cache key and the files share those evaluations (@aws-dr/testing's cachedRun).
 */
export const TIER_TEST_CONFIG: RawStackConfig = {
  ...MINIMAL_CONFIG,
  "dr:targets": { rtoMinutes: 60, rpoMinutes: 120 },
  "dr:backup": { schedule: "cron(0 * ? * * *)" },
  "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
  "dr:alerts": { email: "oncall@example.com" },
};
