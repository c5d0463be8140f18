import { z } from "zod";
import { dbInstanceClass, type TierKeys } from "@aws-dr/model";

/** dr:pilotLight: what pilot light keeps running in the recovery region. */
export const PILOT_LIGHT_KEYS = {
  pilotLight: {
    schema: z
      .strictObject({
        /** Instance class of the standby replica; resized to dr:database.instanceClass on failover. Default: the primary's. */
        replicaInstanceClass: dbInstanceClass.optional(),
      })
      .prefault({}),
  },
} satisfies TierKeys;
