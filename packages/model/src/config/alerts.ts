import { z } from "zod";
import { days } from "./fields";

/** dr:alerts: who hears about failed backups and alarms. */
export const alertsSchema = z.strictObject({
  /** Address subscribed to both regions' alert topics (backup, copy and restore-test failures). */
  email: z.email({ error: "must be an email address" }).optional(),
});

/** dr:logs: access logs. */
export const logsSchema = z.strictObject({
  /** Days access logs (S3 server access logs, ALB logs) are kept. */
  retentionDays: days(3650).default(90),
});
