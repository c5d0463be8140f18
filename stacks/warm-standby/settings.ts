import { z } from "zod";
import { replicaInstanceClass, type TierKeys } from "@aws-dr/model";

/**
 * dr:warmStandby: the small, always-on recovery fleet (it may grow to dr:app.maxSize) and the
 * standby replica's size.
 */
export const WARM_STANDBY_KEYS = {
  warmStandby: {
    schema: z
      .strictObject({
        minSize: z
          .int()
          .min(1)
          .max(100)
          .default(1)
          .describe(
            "Instances always running in the recovery region: at least 1, so its health check is real; at most dr:app.maxSize.",
          ),
        replicaInstanceClass,
      })
      .prefault({})
      .describe(
        "The small always-on recovery fleet (it may grow to dr:app.maxSize) and the standby replica's size.",
      ),
    check: (cfg) => {
      const { minSize } = cfg.warmStandby as { minSize: number };
      return minSize > cfg.app.maxSize
        ? [
            {
              path: ["minSize"],
              input: minSize,
              message: `must not exceed dr:app.maxSize (${cfg.app.maxSize}): the standby fleet grows to the primary's maximum`,
            },
          ]
        : [];
    },
  },
} satisfies TierKeys;
