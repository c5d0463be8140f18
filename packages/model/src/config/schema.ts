import { z } from "zod";
import { FAILBACK_STEPS, FAILOVER_STEPS, TIERS } from "../tiers";
import { cidrsOverlap } from "../validators";
import { alertsSchema, logsSchema } from "./alerts";
import { appSchema } from "./app";
import { backupSchema, checkBackup, checkSchedule } from "./backup";
import { checkDatabaseRetention, databaseSchema } from "./database";
import { dnsSchema, healthCheckSchema } from "./dns";
import { iamPolicyArn, region, type Fail } from "./fields";
import { checkZones, networkSchema } from "./network";
import { targetsSchema } from "./targets";

/** Every shared `dr:` key (the tiers' own keys live in their folders) and the checks across them. */
export const configSchema = z
  .strictObject({
    tier: z
      .enum(TIERS)
      .describe(
        "The DR tier: what the recovery region runs before a disaster and how the stack recovers.",
      ),
    failover: z
      .boolean()
      .default(false)
      .describe("true runs the recovery phase: the recovery region serves."),
    failoverStep: z
      .enum(FAILOVER_STEPS)
      .default("promote")
      .describe(
        "The step of a failover at the replica tiers, one `pulumi up` each: promote makes the replica the writer and moves traffic, changing nothing else of the database, so nothing the app needs waits for a resize; resize then gives it the primary's class, Multi-AZ and backups.",
      ),
    primaryRegion: region.describe("Region the primary site serves from."),
    recoveryRegion: region.describe(
      "Region that holds the copies and the standby, and serves after a failover; must differ from dr:primaryRegion.",
    ),
    protectData: z
      .boolean()
      .default(false)
      .describe(
        "Production: deletion protection, final snapshots, Pulumi protect and retainOnDelete on serving data, and the policy pack's production rules (on in prod).",
      ),
    app: appSchema,
    network: networkSchema,
    database: databaseSchema.prefault({}),
    databasePassword: z
      .string()
      .min(16, { error: "must be at least 16 characters" })
      .regex(/^[^/@" ]+$/, { error: 'must not contain / @ " or spaces' })
      .optional()
      .describe(
        "Database master password, a secret: set it with `pulumi config set --secret` (plain text is refused). Unset: generated.",
      ),
    backup: backupSchema.prefault({}),
    dns: dnsSchema.optional(),
    healthCheck: healthCheckSchema.prefault({}),
    alerts: alertsSchema.prefault({}),
    logs: logsSchema.prefault({}),
    sessionTable: z
      .boolean()
      .default(false)
      .describe(
        "true adds a DynamoDB global table for session state with a replica in each region, at every tier (so no tier switch touches it); each region reads and writes its own replica.",
      ),
    failback: z
      .enum(FAILBACK_STEPS)
      .default("none")
      .describe(
        "One step of leaving a failover, one `pulumi up` each, in the order of the tier's runbook: release lifts the serving recovery site's production guards; fence, the first run once the primary region answers, stops the primary site writing to its stale database (its fleet to zero, the database read-only); reseed, still fenced, builds the primary's successor as a replica of the serving database; freeze makes the serving database read-only (writes pause) so the successor catches up with everything it took; promote makes the successor serve.",
      ),
    targets: targetsSchema.prefault({}),
    iamPermissionsBoundary: iamPolicyArn
      .optional()
      .describe(
        "Managed policy set as the permissions boundary of every IAM role the stack creates: the state bootstrap's aws-dr-<env>-boundary (its output permissionsBoundaryArns.<env>), without which its deploy role may not create or change a role. Setting, changing or removing it updates each role in place. Unset: no boundary (docs/ci-and-state.md#boundary).",
      ),
    overrideDeployedState: z
      .string()
      .optional()
      .describe(
        'Lets one run past the deployed-state check: the exact move, "<deployed> -> <desired>", each state as the refusal prints it (e.g. "tier=pilot-light failover=true failoverStep=resize failback=none generation=1 -> tier=pilot-light failover=true failoverStep=resize failback=reseed generation=1"), so it applies to that one move only and refuses every other run. Set it from a terminal, never in a pull request (CI refuses one); remove it after the run (docs/deployed-state.md#override).',
      ),
  })
  .superRefine((cfg, ctx) => {
    const fail: Fail = (path, input, message) =>
      ctx.addIssue({ code: "custom", path, input, message });
    if (cfg.primaryRegion === cfg.recoveryRegion) {
      fail(
        ["recoveryRegion"],
        cfg.recoveryRegion,
        "must differ from dr:primaryRegion",
      );
    }
    if (cfg.failoverStep === "resize" && !cfg.failover)
      fail(
        ["failoverStep"],
        cfg.failoverStep,
        'is the second step of a failover: set dr:failover=true first, or set it back to "promote"',
      );
    if (cfg.app.minSize > cfg.app.maxSize) {
      fail(
        ["app", "minSize"],
        cfg.app.minSize,
        `must not exceed dr:app.maxSize (${cfg.app.maxSize})`,
      );
    }
    if (cfg.database.allocatedStorageGb > cfg.database.maxAllocatedStorageGb) {
      fail(
        ["database", "maxAllocatedStorageGb"],
        cfg.database.maxAllocatedStorageGb,
        `must be at least dr:database.allocatedStorageGb (${cfg.database.allocatedStorageGb})`,
      );
    }
    if (cidrsOverlap(cfg.network.primaryCidr, cfg.network.recoveryCidr)) {
      fail(
        ["network", "recoveryCidr"],
        cfg.network.recoveryCidr,
        `must not overlap dr:network.primaryCidr (${cfg.network.primaryCidr})`,
      );
    }
    checkZones(
      cfg.network.primaryZones,
      cfg.primaryRegion,
      ["network", "primaryZones"],
      fail,
    );
    checkZones(
      cfg.network.recoveryZones,
      cfg.recoveryRegion,
      ["network", "recoveryZones"],
      fail,
    );
    checkCertificateRegion(
      cfg.app.certificateArn,
      cfg.primaryRegion,
      ["app", "certificateArn"],
      fail,
    );
    checkCertificateRegion(
      cfg.app.recoveryCertificateArn,
      cfg.recoveryRegion,
      ["app", "recoveryCertificateArn"],
      fail,
    );
    // One scheme for the app's URL in both regions: HTTPS that falls back to HTTP on failover
    // would break every client pinned to https://.
    if (
      (cfg.app.certificateArn === undefined) !==
      (cfg.app.recoveryCertificateArn === undefined)
    ) {
      const [key, other] = cfg.app.certificateArn
        ? ["recoveryCertificateArn", "certificateArn"]
        : ["certificateArn", "recoveryCertificateArn"];
      fail(
        ["app", key],
        undefined,
        `must be set too when dr:app.${other} is: both sites serve HTTPS, or neither`,
      );
    }
    const weights = cfg.dns?.weights;
    if (weights && weights.primary + weights.recovery === 0)
      fail(
        ["dns", "weights"],
        weights,
        "must not all be 0: Route 53 spreads traffic evenly over records that all weigh 0; give the site that serves a weight of 1-255",
      );
    checkBackup(cfg.backup, fail);
    checkDatabaseRetention(cfg, fail);
    checkSchedule(cfg.backup.schedule, fail);
  });

/** A load balancer takes only ACM certificates of its own region. */
function checkCertificateRegion(
  arn: string | undefined,
  region: string,
  path: string[],
  fail: Fail,
): void {
  if (arn === undefined) return;
  const certRegion = arn.split(":")[3];
  if (certRegion !== region)
    fail(
      path,
      arn,
      `must be a certificate of ${region}, where its load balancer runs; this one is in ${certRegion}`,
    );
}

export type DrConfig = z.infer<typeof configSchema>;
export type AppConfig = DrConfig["app"];
export type DatabaseConfig = DrConfig["database"];
export type NetworkConfig = DrConfig["network"];
