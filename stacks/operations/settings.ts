import { z } from "zod";
import type { TierKeys } from "@aws-dr/model";

/** dr:gameDay: an AWS FIS experiment that takes the primary site down on purpose. */
export const GAME_DAY_KEYS = {
  gameDay: {
    schema: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe(
            "Create the experiment template game-day (it runs only when someone starts it); needs dr:primaryRegion us-east-1.",
          ),
        durationMinutes: z
          .int()
          .min(1)
          .max(60)
          .default(10)
          .describe(
            "Minutes the primary fleet's subnets stay cut off in a game day.",
          ),
      })
      .prefault({})
      .describe(
        "An AWS FIS experiment that cuts the primary fleet off on purpose, to prove and time the failover.",
      ),
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
        enabled: z
          .boolean()
          .default(true)
          .describe(
            "Build the plan; it needs dr:dns (its Route 53 step moves the app's records) and is left out without it.",
          ),
        manualApproval: z
          .boolean()
          .optional()
          .describe(
            "Wait for a person (who assumes the plan's approver role) before the plan changes anything. Unset: dr:protectData.",
          ),
        approvalTimeoutMinutes: z
          .int()
          .min(5)
          .max(1440)
          .default(60)
          .describe("Minutes the plan waits for that approval."),
        primaryHealthCheckId: z
          .string()
          .regex(/^[0-9a-f-]{36}$/, {
            error: "must be a Route 53 health check id",
          })
          .optional()
          .describe(
            "The plan's Route 53 health check for dr:primaryRegion (stack output regionSwitchPrimaryHealthCheckId after the first run). Set, no run looks it up; unset, every run asks ARC's control plane in us-east-1, so a us-east-1 outage stops `pulumi up`.",
          ),
      })
      .prefault({})
      .describe(
        "The recovery as an ARC Region switch plan AWS executes: scale the recovery fleet, promote the replica, move traffic.",
      ),
  },
} satisfies TierKeys;
