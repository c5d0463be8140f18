import { z } from "zod";
import { days } from "./fields";

/** dr:alerts: who hears about failed backups and alarms. */
export const alertsSchema = z
  .strictObject({
    email: z
      .email({ error: "must be an email address" })
      .optional()
      .describe(
        "Address subscribed to both regions' alert topics (failed backup, copy and restore-test jobs, alarms); confirm the mail AWS sends for each region. Unset: nobody is mailed.",
      ),
  })
  .describe("Who hears about failed backups and alarms.");

/** dr:logs: access logs. */
export const logsSchema = z
  .strictObject({
    retentionDays: days(3650)
      .default(90)
      .describe("Days S3 server access logs and ALB access logs are kept."),
  })
  .describe(
    "Access logs of the buckets and load balancers, in a log bucket per region.",
  );
