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
        "Recovery point objective, in minutes: refused when the recovery model's estimate exceeds it. The estimate never reads this target: the backup schedule and copy delay (backup-restore), the replica-lag alarm's threshold and window (dr:alerts.replicaLagMinutes, the replica tiers) and S3 RTC's 15 minutes bound it. The default is a daily backup plus its cross-region copy (backup-restore's estimate).",
      ),
  })
  .describe(
    "The recovery objectives the stack must meet under the recovery model (`npm run assess` shows the estimate and its parts).",
  );
