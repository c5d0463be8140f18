import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "@aws-dr/aws-kit";
import { ROLE_TAG } from "@aws-dr/contracts";
import type { DatabasePhase } from "@aws-dr/model";
import {
  newestClusterBackupCopy,
  newestFinishedBackupCopy,
} from "../backup-restore/restore-source";
import type { DeployContext } from "./context";
import type { DatabaseOverrides } from "./site";
import { existingReplica } from "./standby-replica";

/** The recovery site's database's physical identifier: fixed, so a failover finds it without the primary. */
export function recoveryDatabaseIdentifier(ctx: DeployContext): string {
  const recovery = ctx.phase.recovery;
  if (!recovery)
    throw new Error("this phase has no recovery site, so no recovery database");
  return physicalName(ctx.environment, recovery.database.name);
}

/**
 * An Aurora cluster's overrides: its shape, its fixed identifier (the failover and switchover
 * commands name it), its global database, and its guards. A secondary is the same cluster whichever
 * member writes ("promoted" is AWS's doing): nothing here changes with the writer.
 */
function auroraOverrides(
  ctx: DeployContext,
  db: DatabasePhase,
  overrides: DatabaseOverrides & { name: string },
): DatabaseOverrides & { name: string } {
  const secondary =
    db.origin.kind === "replica" || db.origin.kind === "promoted";
  if (db.globalMember && !ctx.globalDatabase)
    throw new Error(`${db.name} joins a global database, which is not built`);
  return {
    name: db.name,
    identifier: physicalName(ctx.environment, db.name),
    snapshotIdentifier: overrides.snapshotIdentifier,
    ...(db.protect !== undefined ? { protect: db.protect } : {}),
    ...(db.finalSnapshot !== undefined
      ? { finalSnapshot: db.finalSnapshot }
      : {}),
    ...(db.role ? { tags: { [ROLE_TAG]: db.role } } : {}),
    aurora: {
      instances: db.instances ?? [],
      global: db.globalMember ? ctx.globalDatabase : undefined,
      secondary,
      writeForwarding: db.writeForwarding ?? false,
      rpoBound: db.rpoBound ?? false,
    },
  };
}

/**
 * A resolved database as the Site's overrides of the configured one. The primary site's database
 * is the replica source of the recovery site's, and whose newest backup copy a restore takes.
 */
export function databaseOverrides(
  ctx: DeployContext,
  db: DatabasePhase,
  primary?: { arn: pulumi.Output<string>; identifier: pulumi.Output<string> },
): DatabaseOverrides & { name: string } {
  const fromPrimary = () => {
    if (!primary)
      throw new Error(`${db.name} replicates the primary, which is not given`);
    return primary;
  };
  const overrides: DatabaseOverrides & { name: string } = { name: db.name };
  const { origin } = db;
  switch (origin.kind) {
    case "new":
      break;
    case "promoted":
      overrides.replica = {};
      break;
    case "replica":
      overrides.replica = {
        sourceArn:
          origin.of === "primary"
            ? fromPrimary().arn
            : pulumi.interpolate`arn:aws:rds:${ctx.cfg.recoveryRegion}:${ctx.accountId}:db:${recoveryDatabaseIdentifier(ctx)}`,
      };
      break;
    case "snapshot":
      overrides.snapshotIdentifier =
        origin.snapshot ??
        (db.instances
          ? newestClusterBackupCopy(ctx, fromPrimary().identifier)
          : newestFinishedBackupCopy(ctx, fromPrimary().identifier));
      break;
  }
  if (db.instances) return auroraOverrides(ctx, db, overrides);
  if (db.fixedIdentifier) {
    const identifier = physicalName(ctx.environment, db.name);
    overrides.identifier =
      origin.kind === "promoted" && origin.confirm
        ? existingReplica(ctx, identifier)
        : identifier;
  }
  if (db.instanceClass !== undefined)
    overrides.instanceClass = db.instanceClass;
  if (db.multiAz !== undefined) overrides.multiAz = db.multiAz;
  if (db.backupRetentionDays !== undefined)
    overrides.backupRetentionDays = db.backupRetentionDays;
  if (db.protect !== undefined) overrides.protect = db.protect;
  if (db.promotionOnly) overrides.promotionOnly = true;
  if (db.readOnly) overrides.readOnly = true;
  if (db.seedsReplica) overrides.seedsReplica = true;
  if (db.finalSnapshot !== undefined)
    overrides.finalSnapshot = db.finalSnapshot;
  if (db.role) overrides.tags = { [ROLE_TAG]: db.role };
  // A database that is (or was) a replica pins its hot-standby settings to the configured primary
  // class's upper bound; one that never was keeps RDS's own values, which stay below that bound
  // whenever it reboots, in whatever order (a source above its standby stops the standby's replay).
  // Kept once promoted, so the promote step changes no parameter group.
  const wasReplica = origin.kind === "replica" || origin.kind === "promoted";
  overrides.replication = {
    primaryInstanceClass: wasReplica
      ? ctx.cfg.database.instanceClass
      : undefined,
    // The recovery site's database where that site serves beside the primary (active-active: it
    // reads its replica and writes to the primary over peering). Kept once promoted, where it does
    // nothing, so a failover changes no parameter.
    servesReads: db === ctx.phase.recovery?.database && ctx.phase.peering,
  };
  return overrides;
}
