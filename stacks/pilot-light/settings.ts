import { z } from "zod";
import { replicaInstanceClass, type TierKeys } from "@aws-dr/model";

/** dr:pilotLight: what pilot light keeps running in the recovery region. */
export const PILOT_LIGHT_KEYS = {
  pilotLight: {
    schema: z
      .strictObject({
        replicaInstanceClass,
      })
      .prefault({})
      .describe(
        "What pilot light keeps in the recovery region besides the site defined at zero instances: the standby replica.",
      ),
  },
} satisfies TierKeys;
