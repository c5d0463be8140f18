import { z } from "zod";
import { dbInstanceClass, type TierKeys } from "@aws-dr/core";

/** dr:warmStandby: the small, always-on recovery fleet and the standby replica's size. */
export const WARM_STANDBY_KEYS = {
  warmStandby: {
    usedBy: ["warm-standby"],
    schema: z
      .strictObject({
        /** Instances always running in the recovery region: at least 1, so its health check is real. */
        minSize: z.int().min(1).max(100).default(1),
        maxSize: z.int().min(1).max(100).default(2),
        /** Instance class of the standby replica; resized to dr:database.instanceClass on failover. Default: the primary's. */
        replicaInstanceClass: dbInstanceClass.optional(),
      })
      .superRefine((fleet, ctx) => {
        if (fleet.minSize > fleet.maxSize)
          ctx.addIssue({
            code: "custom",
            path: ["minSize"],
            input: fleet.minSize,
            message: `must not exceed dr:warmStandby.maxSize (${fleet.maxSize})`,
          });
      })
      .prefault({}),
  },
} satisfies TierKeys;
