import { z } from "zod";
import { dbInstanceClass, type TierKeys } from "@aws-dr/model";

/** dr:pilotLight: what pilot light keeps running in the recovery region. */
export const PILOT_LIGHT_KEYS = {
  pilotLight: {
    schema: z
      .strictObject({
        replicaInstanceClass: dbInstanceClass
          .optional()
          .describe(
            "Instance class of the standby replica; resized to dr:database.instanceClass on failover. Unset: the primary's.",
          ),
      })
      .prefault({})
      .describe(
        "What pilot light keeps in the recovery region besides the site defined at zero instances: the standby replica.",
      ),
  },
} satisfies TierKeys;
