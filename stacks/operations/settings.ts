import { z } from "zod";
import type { TierKeys } from "@aws-dr/model";

/** dr:gameDay: an AWS FIS experiment that takes the primary site down on purpose. */
export const GAME_DAY_KEYS = {
  gameDay: {
    schema: z
      .strictObject({
        /** Create the experiment template (it runs only when someone starts it). Off by default. */
        enabled: z.boolean().default(false),
        /** How long the primary fleet's subnets stay cut off. */
        durationMinutes: z.int().min(1).max(60).default(10),
      })
      .prefault({}),
    check: (cfg) =>
      (cfg.gameDay as { enabled: boolean }).enabled &&
      cfg.primaryRegion !== "us-east-1"
        ? [
            {
              path: ["enabled"],
              input: true,
              message: `needs dr:primaryRegion us-east-1 (it is ${cfg.primaryRegion}): FIS stops an experiment only on alarms of the experiment's region, and the alarm on the recovery site's Route 53 health check can only be in us-east-1, where Route 53 publishes its metrics`,
            },
          ]
        : [],
  },
} satisfies TierKeys;

/** dr:regionSwitch: the recovery as an ARC Region switch plan AWS executes. */
export const REGION_SWITCH_KEYS = {
  regionSwitch: {
    schema: z
      .strictObject({
        /** Build the plan (needs dr:dns: its Route 53 step moves the app's records). */
        enabled: z.boolean().default(true),
        /** Wait for a person before the plan changes anything. Default: on where dr:protectData is (prod). */
        manualApproval: z.boolean().optional(),
        /** How long the plan waits for that approval. */
        approvalTimeoutMinutes: z.int().min(5).max(1440).default(60),
      })
      .prefault({}),
  },
} satisfies TierKeys;
