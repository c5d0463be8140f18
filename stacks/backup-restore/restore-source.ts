import * as rds from "@pulumi/aws/rds";
import type * as pulumi from "@pulumi/pulumi";
import type { DeployContext } from "../wiring/context";

/**
 * The newest AWS Backup copy of the primary database in the recovery region that has finished
 * copying: getSnapshot cannot filter by status and would pick a copy still in progress, which RDS
 * refuses to restore. Looked up with the recovery-region provider only: the primary may be down.
 */
export function newestFinishedBackupCopy(
  { providers }: DeployContext,
  primaryDbIdentifier: pulumi.Output<string>,
): pulumi.Output<string> {
  return rds
    .getSnapshotsOutput(
      { dbInstanceIdentifier: primaryDbIdentifier, snapshotType: "awsbackup" },
      { provider: providers.recovery },
    )
    .apply(({ snapshots }) => {
      const newest = newestAvailable(snapshots);
      if (!newest)
        throw new Error(
          "no finished AWS Backup copy of the primary database in the recovery region: set dr:database.restoreSnapshot to a snapshot to restore",
        );
      return newest.dbSnapshotArn;
    });
}

/**
 * The snapshot of the newest data whose status is "available", or undefined. By the source's
 * creation time: a copy's own snapshotCreateTime is when it was copied, and a late copy of old data
 * would win.
 */
function newestAvailable<
  T extends { status: string; originalSnapshotCreateTime: string },
>(snapshots: T[]): T | undefined {
  return snapshots
    .filter((s) => s.status === "available")
    .sort((a, b) =>
      b.originalSnapshotCreateTime.localeCompare(a.originalSnapshotCreateTime),
    )[0];
}

/**
 * The newest AWS Backup copy of the primary Aurora cluster in the recovery region. getClusterSnapshot
 * returns one snapshot, the newest, whatever its status: one still copying is refused here with
 * the key to pin instead, rather than handed to a restore AWS would refuse.
 */
export function newestClusterBackupCopy(
  { providers }: DeployContext,
  primaryClusterIdentifier: pulumi.Output<string>,
): pulumi.Output<string> {
  return rds
    .getClusterSnapshotOutput(
      {
        dbClusterIdentifier: primaryClusterIdentifier,
        snapshotType: "awsbackup",
        mostRecent: true,
      },
      { provider: providers.recovery },
    )
    .apply((snapshot) => {
      if (snapshot.status !== "available")
        throw new Error(
          `the newest AWS Backup copy of the primary cluster in the recovery region (${snapshot.dbClusterSnapshotArn}) is ${snapshot.status}: set dr:database.restoreSnapshot to a finished one`,
        );
      return snapshot.dbClusterSnapshotArn;
    });
}
