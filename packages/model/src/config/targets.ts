import { z } from "zod";

/** dr:targets: the recovery objectives the stack must meet. */
export const targetsSchema = z
  .strictObject({
    rtoMinutes: z
      .int()
      .min(1)
      .default(240)
      .describe(
        "Recovery time objective, in minutes: refused when the recovery model's estimate for the tier exceeds it.",
      ),
    rpoMinutes: z
      .int()
      .min(1)
      .default(1500)
      .describe(
        "Recovery point objective, in minutes: refused when the estimate exceeds it; the RPO alarms fire past it. The default is a daily backup plus its cross-region copy (backup-restore's estimate).",
      ),
  })
  .describe(
    "The recovery objectives the stack must meet under the recovery model (`npm run assess` shows the estimate and its parts).",
  );
