import { recoveryFleetSize, ROLE_TAG } from "@aws-dr/core";
import { RpoAlarms } from "@aws-dr/replication";
import { buildBackups } from "./backups";
import type { DeployContext, TierOutputs } from "./context";
import { servingOutputs } from "./outputs";
import { buildPrimarySite } from "./primary";
import { buildRecoverySite, existingReplica } from "./recovery";
import { buildRegions } from "./regions";
import { reachPrimaryWriter } from "./active-active/peering";
import { buildGameDay } from "./game-day";
import { regionSwitchPlan } from "./region-switch";

export interface StandbySettings {
  /** The standby replica's instance class; default the primary's. */
  replicaInstanceClass?: string;
  /** Multi-AZ for the replica; default single-AZ (it serves no traffic until failover). */
  replicaMultiAz?: boolean;
  /** Peering and rules so the recovery fleet writes to the primary's database (active-active). */
  peering?: boolean;
}

/**
 * Pilot light, warm standby and active-active: on top of every tier's backups, the recovery site
 * always exists (network, ALB, launch template, Auto Scaling group) with a fleet of zero (pilot
 * light), a few (warm standby) or the primary's size (active-active), and its database is a live
 * cross-region read replica of the primary. Route 53 sends traffic to it by itself when the
 * primary's health check fails (and, at active-active, by weight every day). dr:failover=true
 * promotes the replica in place, resizes it to the primary's class with its Multi-AZ and backups,
 * scales the fleet to the primary's size and pins traffic to the recovery site.
 */
export function deployStandby(
  ctx: DeployContext,
  settings: StandbySettings,
): TierOutputs {
  const { cfg, providers } = ctx;
  const primarySize = { minSize: cfg.app.minSize, maxSize: cfg.app.maxSize };
  // Failing back, the former recovery site is stale: no instances serve from it.
  const fleetSize =
    cfg.failback === "promote"
      ? { minSize: 0, maxSize: 0 }
      : (recoveryFleetSize(
          cfg.tier,
          cfg.failover,
          primarySize,
          cfg.warmStandby.minSize,
        ) ?? primarySize);
  // NAT only while instances always run there: a pilot light costs no NAT gateway (instances a
  // Region switch plan launches there get it with the dr:failover=true that follows).
  const regions = buildRegions(
    ctx,
    fleetSize.minSize > 0 || cfg.failover ? cfg.network.natGateways : "none",
  );
  const primarySite = buildPrimarySite(ctx, regions);
  const backups = buildBackups(ctx, regions, primarySite);
  const replicating = !cfg.failover && cfg.failback === "none";
  const recovery = buildRecoverySite(ctx, regions, backups, {
    fleetSize,
    database: cfg.failover
      ? {
          // Promoted: removing the source is RDS's in-place promotion. Class, Multi-AZ and
          // backups become the primary's (dr:database), applied immediately.
          replica: {},
          identifier: existingReplica(ctx),
          finalSnapshot: true,
        }
      : cfg.failback === "promote"
        ? // The primary's successor serves again: this one is stale, unguarded, and deleted
          // after a final snapshot when the next generation's replica replaces it.
          {
            replica: {},
            finalSnapshot: true,
            protect: false,
            tags: { [ROLE_TAG]: "retiring" },
          }
        : {
            replica: { sourceArn: primarySite.site.database.arn },
            instanceClass:
              settings.replicaInstanceClass ?? cfg.database.instanceClass,
            multiAz: settings.replicaMultiAz ?? false,
            backupRetentionDays: 0,
            // Its data lives in the primary, and RDS refuses a replica's final snapshot: a tier
            // downgrade deletes it without one (and without deletion protection in the way).
            finalSnapshot: false,
            tags: { [ROLE_TAG]: "standby" },
          },
  });
  if (settings.peering) reachPrimaryWriter(ctx, regions);
  buildGameDay(ctx, regions, recovery);
  const successor = primarySite.site.otherDatabase;
  if (cfg.failback === "reseed" && successor) {
    // Promote only once the successor has caught up: this alarm says when it has not.
    new RpoAlarms(
      "successor-alarms",
      {
        rpoMinutes: cfg.targets.rpoMinutes,
        topicArn: regions.primary.alerts.arn,
        replicaIdentifier: successor.instance.identifier,
      },
      { provider: providers.primary },
    );
  }
  if (replicating) {
    new RpoAlarms(
      "replica-alarms",
      {
        rpoMinutes: cfg.targets.rpoMinutes,
        topicArn: regions.recovery.alerts.arn,
        replicaIdentifier: recovery.database.instance.identifier,
      },
      { provider: providers.recovery },
    );
  }
  const switchChecks = regionSwitchPlan(ctx, {
    primary: primarySite.site,
    recovery,
  });
  return {
    ...servingOutputs(
      ctx,
      regions,
      backups,
      primarySite,
      recovery,
      switchChecks,
    ),
    recoveryFleet: fleetSize,
  };
}
