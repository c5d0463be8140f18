import { z } from "zod";

/** dr:targets: the recovery objectives the stack must meet. */
export const targetsSchema = z.strictObject({
  rtoMinutes: z.int().min(1).default(240),
  /** Default: a daily backup plus its cross-region copy (backup-restore's estimate). */
  rpoMinutes: z.int().min(1).default(1500),
});
