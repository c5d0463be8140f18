import { replicaLagAlarm } from "@aws-dr/model";
import { RpoAlarms } from "@aws-dr/replication";
import type { DeployContext } from "./context";
import type { PrimarySite } from "./primary-site";
import type { Regions } from "./regions";
import type { Site } from "./site";

/**
 * Replication-lag alarms on the databases that replicate (the phase's alarms): the standby replica,
 * watched from its own region, and a failback's successor, which is promoted only once it has
 * caught up.
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
        replicaIdentifier: successor.instance.identifier,
      },
      { provider: providers.primary },
    );
  if (phase.alarms.replica && recovery)
    new RpoAlarms(
      "replica-alarms",
      {
        lagAlarm: replicaLagAlarm(cfg.alerts),
        topicArn: regions.recovery.alerts.arn,
        replicaIdentifier: recovery.database.instance.identifier,
      },
      { provider: providers.recovery },
    );
}
