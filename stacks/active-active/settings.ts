import { z } from "zod";
import { dbInstanceClass, type TierKeys } from "@aws-dr/model";

/** dr:activeActive: the recovery site's database, which serves a full site's reads. */
export const ACTIVE_ACTIVE_KEYS = {
  activeActive: {
    schema: z
      .strictObject({
        /** Instance class of the recovery region's read replica; resized to dr:database.instanceClass on failover. Default: the primary's. */
        replicaInstanceClass: dbInstanceClass.optional(),
      })
      .prefault({}),
  },
} satisfies TierKeys;
