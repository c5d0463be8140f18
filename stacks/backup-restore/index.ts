import { buildBackups } from "../backups";
import type { DeployContext, TierOutputs } from "../context";
import { servingOutputs } from "../outputs";
import { buildPrimarySite } from "../primary";
import { buildRecoverySite, newestFinishedBackupCopy } from "../recovery";
import { buildRegions } from "../regions";

/**
 * Backup & restore: the primary site serves and the recovery region holds only backups (vault
 * copies, the replicated backup bucket, the AMI) and an idle network. dr:failover=true builds a
 * full site there from the newest finished backup copy; false again removes it, snapshotting the
 * restored database first, and leaves the primary untouched.
 */
export function deployBackupRestore(ctx: DeployContext): TierOutputs {
  const { cfg } = ctx;
  // The recovery network gets NAT gateways only while a site runs there.
  const regions = buildRegions(
    ctx,
    cfg.failover ? cfg.network.natGateways : "none",
  );
  const primarySite = buildPrimarySite(ctx, regions);
  const primary = primarySite.site;
  const backups = buildBackups(ctx, regions, primarySite);
  const primarySize = { minSize: cfg.app.minSize, maxSize: cfg.app.maxSize };
  const recovery = cfg.failover
    ? buildRecoverySite(ctx, regions, backups, {
        // Every tier fails over to a full-size fleet.
        fleetSize: primarySize,
        database: {
          snapshotIdentifier:
            cfg.database.restoreSnapshot ??
            newestFinishedBackupCopy(ctx, primary.database.instance.identifier),
          // Failing back deletes it only after a final snapshot. (Retaining it instead would block
          // deleting its subnet group's network, parameter group and security group.)
          finalSnapshot: true,
        },
      })
    : undefined;
  return {
    ...servingOutputs(ctx, regions, backups, primarySite, recovery),
    // Pin it (dr:database.restoreSnapshot) once restored: the lookup runs on every `pulumi up` and
    // fails once the copies have expired while still failed over.
    restoredSnapshot: recovery?.database.instance.snapshotIdentifier,
  };
}
