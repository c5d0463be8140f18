import { z } from "zod";
import { replicaInstanceClass, type TierKeys } from "@aws-dr/model";

/** dr:activeActive: the recovery site's database, which serves a full site's reads. */
export const ACTIVE_ACTIVE_KEYS = {
  activeActive: {
    schema: z
      .strictObject({
        // Its replica serves reads: Multi-AZ with the primary.
        replicaInstanceClass: replicaInstanceClass.describe(
          "Instance class of the recovery region's read replica (Multi-AZ when dr:database.multiAz is); the failover's resize step (dr:failoverStep=resize) gives it dr:database.instanceClass. Unset: the primary's.",
        ),
      })
      .prefault({})
      .describe(
        "The recovery site's read replica, which serves a full site's reads.",
      ),
  },
} satisfies TierKeys;
