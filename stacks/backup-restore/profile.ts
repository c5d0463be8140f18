import type { RunbookStep, TierProfile } from "@aws-dr/model";

/** A restored site's runs, on either engine: fail over, lift its guards, remove it. */
const RESTORE_RECOVERY: readonly RunbookStep[] = [
  { section: "failover", set: { failover: true } },
  { section: "failback", set: { failback: "release" } },
  { section: "failback", set: { failover: false, failback: "none" } },
];

/**
 * Backup & restore: the primary site serves and the recovery region holds only backups (vault
 * copies, the replicated backup bucket, the AMI) and an idle network. dr:failover=true builds a
 * full site there from the newest finished backup copy; false again removes it, snapshotting the
 * restored database first, and leaves the primary untouched.
 */
export const BACKUP_RESTORE: TierProfile = {
  tier: "backup-restore",
  standbyFleet: "none",
  liveReplicas: false,
  routing: "single-site",
  settingsKey: null,
  replicaMultiAz: null,
  peering: false,
  resilienceTier: "Important",
  operations: [],
  // Guards off the serving recovery site, then dr:failover=false removes it.
  failbackSteps: ["release"],
  failedOverTierMoves: [],
  recoverySteps: RESTORE_RECOVERY,
  // A regional cluster, backed up and copied by AWS Backup; a failover restores a cluster from the
  // newest copy, as the RDS path restores an instance.
  aurora: {
    secondary: "none",
    writeForwarding: false,
    failbackSteps: ["release"],
    recoverySteps: RESTORE_RECOVERY,
  },
};
