import { z } from "zod";
import { dbInstanceClass, type TierKeys } from "@aws-dr/model";

/** dr:activeActive: the recovery site's database, which serves a full site's reads. */
export const ACTIVE_ACTIVE_KEYS = {
  activeActive: {
    schema: z
      .strictObject({
        replicaInstanceClass: dbInstanceClass
          .optional()
          .describe(
            "Instance class of the recovery region's read replica (Multi-AZ when dr:database.multiAz is); resized to dr:database.instanceClass on failover. Unset: the primary's.",
          ),
      })
      .prefault({})
      .describe(
        "The recovery site's read replica, which serves a full site's reads.",
      ),
  },
} satisfies TierKeys;
