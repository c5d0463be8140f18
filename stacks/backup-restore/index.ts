import type { DeployContext, TierOutputs } from "../context";
import { pointAppRecordAt } from "../dns";
import { buildPrimarySite } from "../primary";

/**
 * Backup & restore: the primary site serves; the recovery region holds only backups until
 * dr:failover=true builds a site there from them.
 */
export function deployBackupRestore(ctx: DeployContext): TierOutputs {
  const primary = buildPrimarySite(ctx);
  const record = pointAppRecordAt(ctx, primary);
  return {
    appUrl: record
      ? record.fqdn.apply((fqdn) => `${primary.loadBalancer.scheme}://${fqdn}`)
      : primary.url,
    primaryUrl: primary.url,
    databaseAddress: primary.database.address,
    dataBucket: primary.dataBucket?.name,
  };
}
