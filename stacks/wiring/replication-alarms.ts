import { replicaLagAlarm } from "@aws-dr/model";
import {
  AuroraLagAlarm,
  ReplicationSourceAlarms,
  RpoAlarms,
  type ReplicationSourceAlarmsArgs,
} from "@aws-dr/replication";
import type { Database } from "@aws-dr/storage";
import type { DeployContext } from "./context";
import type { PrimarySite } from "./primary-site";
import type { Regions } from "./regions";
import type { Site } from "./site";

/**
 * Replication-lag alarms on the databases that replicate (the phase's alarms): the standby replica,
 * watched from its own region, and a failback's successor, which is promoted only once it has
 * caught up. And the source's side of each: the replica's slot holds WAL on its source, watched
 * in the source's region, into that region's topic: the primary's serving database at the replica
 * tiers, and the promoted recovery database while it seeds the successor.
 */
export function watchDatabaseReplication(
  ctx: DeployContext,
  regions: Regions,
  { site: primary }: PrimarySite,
  recovery: Site | undefined,
): void {
  const { cfg, phase, providers } = ctx;
  const successor = primary.otherDatabase;
  if (phase.alarms.successor && successor)
    new RpoAlarms(
      "successor-alarms",
      {
        lagAlarm: replicaLagAlarm(cfg.alerts),
        topicArn: regions.primary.alerts.arn,
        replicaIdentifier: successor.identifier,
      },
      { provider: providers.primary },
    );
  if (phase.alarms.replica && recovery?.database.aurora)
    new AuroraLagAlarm(
      "replica-alarms",
      {
        lagAlarm: replicaLagAlarm(cfg.alerts),
        topicArn: regions.recovery.alerts.arn,
        secondaryIdentifier: recovery.database.identifier,
      },
      { provider: providers.recovery },
    );
  else if (phase.alarms.replica && recovery)
    new RpoAlarms(
      "replica-alarms",
      {
        lagAlarm: replicaLagAlarm(cfg.alerts),
        topicArn: regions.recovery.alerts.arn,
        replicaIdentifier: recovery.database.identifier,
      },
      { provider: providers.recovery },
    );
  const sourceAlarms = (
    name: string,
    source: Database | undefined,
    topicArn: ReplicationSourceAlarmsArgs["topicArn"],
    provider: typeof providers.primary,
  ) =>
    // Aurora's replication is its storage's: no slot holds WAL on the writer.
    source &&
    new ReplicationSourceAlarms(
      name,
      {
        topicArn,
        sourceIdentifier: source.instance.identifier,
        maxSlotWalKeepSizeMb: source.maxSlotWalKeepSizeMb,
        allocatedStorageGb: cfg.database.allocatedStorageGb,
      },
      { provider },
    );
  // At every replica tier (its recovery database is a replica, or one promoted), failed over too:
  // a failover run calls nothing in the primary region, which may be down (and there the stale
  // primary keeps the promoted replica's slot).
  const origin = phase.recovery?.database.origin.kind;
  if (origin === "replica" || origin === "promoted")
    sourceAlarms(
      "primary-db-alarms",
      primary.database.rds,
      regions.primary.alerts.arn,
      providers.primary,
    );
  if (phase.alarms.successor && successor && recovery)
    sourceAlarms(
      "recovery-db-alarms",
      recovery.database.rds,
      regions.recovery.alerts.arn,
      providers.recovery,
    );
}
