import { z } from "zod";
import { days } from "./fields";

/** dr:alerts: who hears about failed backups and alarms, and when replica lag alarms. */
export const alertsSchema = z
  .strictObject({
    email: z
      .email({ error: "must be an email address" })
      .optional()
      .describe(
        "Address subscribed to both regions' alert topics (failed backup, copy and restore-test jobs, alarms); confirm the mail AWS sends for each region. Unset: nobody is mailed.",
      ),
    replicaLagMinutes: z
      .int()
      .min(1)
      .max(1440)
      .default(5)
      .describe(
        "Minutes of replica lag past which the replica-lag alarms fire (the standby replica, a failback's successor), once 5 one-minute periods in a row breach it. With those 5 minutes it bounds the replica tiers' database RPO in the recovery model, so it is set apart from dr:targets.rpoMinutes; keep it above normal cross-region lag (seconds, up to about a minute in write bursts).",
      ),
  })
  .describe(
    "Who hears about failed backups and alarms, and how much replica lag alarms.",
  );

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
