import * as pulumi from "@pulumi/pulumi";
import type * as kms from "@pulumi/aws/kms";
import * as rds from "@pulumi/aws/rds";
import {
  createEncryptionKey,
  dataOptions,
  physicalName,
} from "@aws-dr/aws-kit";

export interface DatabaseArgs {
  /** PostgreSQL major version, e.g. "16". */
  engineVersion: string;
  instanceClass: string;
  /** Storage in GiB; autoscales up to maxAllocatedStorageGb. */
  allocatedStorageGb: number;
  maxAllocatedStorageGb: number;
  /** Days of automated backups (point-in-time restore window), 1 to 35. */
  backupRetentionDays: number;
  multiAz: boolean;
  dbName: string;
  username: string;
  password: pulumi.Input<string>;
  /** RDS subnet group over the site's isolated subnets (the Network's). */
  subnetGroupName: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  /** Restore from this DB snapshot (identifier or ARN) instead of starting empty. */
  snapshotIdentifier?: pulumi.Input<string>;
  /**
   * A cross-region read replica of `sourceArn` (in another region; this database gets a key of its
   * own region). Without sourceArn, a replica that has been promoted: removing the source is how
   * RDS promotes it, in place. Either way its data, database name and master user came from the
   * source, so none is set here (setting dbName later would replace it).
   */
  replica?: { sourceArn?: pulumi.Input<string> };
  /** Physical identifier; default: autonamed. */
  identifier?: pulumi.Input<string>;
  /** Extra tags, e.g. the backup selection tag. */
  tags?: Record<string, string>;
  /** Production guards: deletion protection, Pulumi protect and retainOnDelete, a final snapshot. */
  protect: boolean;
  /** Take a final snapshot when the database is deleted. Default: protect. */
  finalSnapshot?: boolean;
  /**
   * An update sends RDS nothing but a promotion (the replica's source removed): class, Multi-AZ,
   * backup retention and deletion protection keep what the database has, whatever the args say
   * (Pulumi's `protect` still guards it). After PromoteReadReplica
   * the provider sends one ModifyDBInstance for any other change and waits for it, and it promotes
   * with the backup retention it is given (a first, full backup the promotion then waits for);
   * everything that waits for this database then waits for those too.
   */
  promotionOnly?: boolean;
  /**
   * Takes no writes: default_transaction_read_only on, a dynamic parameter RDS applies at once (a
   * stale database after a failback; see DatabasePhase.readOnly).
   */
  readOnly?: boolean;
  /**
   * A replica of it is being seeded in another region: its slots keep WAL up to a bound of the
   * storage ceiling (seedSlotWalKeepSizeMb) while the seed is copied and restored; see
   * DatabasePhase.seedsReplica.
   */
  seedsReplica?: boolean;
  /**
   * How it takes part in replication. `primaryInstanceClass`, for a database that is (or was) a
   * standby: the class of the stack's primary (dr:database.instanceClass), whose upper bound its
   * hot-standby settings pin (see hotStandbySettings). `servesReads`: a replica whose site serves
   * reads (active-active's standby). Default: RDS's own settings, serving no reads.
   */
  replication?: { primaryInstanceClass?: string; servesReads?: boolean };
}

/** Burstable classes' vCPUs and memory (GiB) by size; other families scale with the size's vCPUs. */
const BURSTABLE: Record<string, [number, number]> = {
  micro: [2, 1],
  small: [2, 2],
  medium: [2, 4],
  large: [2, 8],
  xlarge: [4, 16],
  "2xlarge": [8, 32],
};
/** Memory (GiB) per vCPU by family prefix: m general purpose, r and z1d memory, x2g, x2ie*, c. */
const GIB_PER_VCPU: [RegExp, number][] = [
  [/^m/, 4],
  [/^[rz]/, 8],
  [/^x2g/, 16],
  [/^x2i/, 32],
  [/^c/, 2],
];

/** vCPUs and memory (GiB) of an RDS instance class `db.<family>.<size>`, as AWS lists them. */
export function instanceClassShape(instanceClass: string): {
  vcpus: number;
  memoryGib: number;
} {
  const [, family = "", size = ""] = instanceClass.split(".");
  const burstable = family.startsWith("t") ? BURSTABLE[size] : undefined;
  if (burstable) return { vcpus: burstable[0], memoryGib: burstable[1] };
  const multiple = /^(\d*)xlarge$/.exec(size);
  const vcpus =
    size === "large" ? 2 : multiple ? 4 * Number(multiple[1] || 1) : 0;
  const perVcpu = GIB_PER_VCPU.find(([prefix]) => prefix.test(family))?.[1];
  if (!vcpus || !perVcpu)
    throw new Error(
      `${instanceClass}: no known vCPU and memory for this RDS instance class, so the hot-standby settings (max_connections, max_worker_processes) cannot be sized`,
    );
  return { vcpus, memoryGib: vcpus * perVcpu };
}

/**
 * The settings a hot standby needs at least its source's values of (below them PostgreSQL stops
 * applying WAL until it restarts with higher ones), pinned in every standby's group so a smaller
 * replica class no longer gets less. RDS derives two of them from the instance: max_connections
 * LEAST({DBInstanceClassMemory/9531392},5000) and max_worker_processes GREATEST({DBInstanceVCPU*2},8);
 * these are the primary class's, from its nominal memory (a little above DBInstanceClassMemory,
 * which excludes what RDS reserves), so at or above what RDS gives the primary, which keeps its own
 * values: no reboot order can put the source above its standby. The others are at or above RDS's
 * defaults (max_wal_senders: PostgreSQL 16 and later's 35, above 14 and 15's 20). All static: a
 * standby takes them at its next reboot.
 */
export function hotStandbySettings(
  primaryInstanceClass: string,
): Record<string, number> {
  const { vcpus, memoryGib } = instanceClassShape(primaryInstanceClass);
  return {
    max_connections: Math.min(
      Math.floor((memoryGib * 2 ** 30) / 9531392),
      5000,
    ),
    max_worker_processes: Math.max(vcpus * 2, 8),
    max_locks_per_transaction: 64,
    max_prepared_transactions: 0,
    max_wal_senders: 35,
  };
}

/**
 * max_slot_wal_keep_size, in MB: a fifth of the allocated storage. A cross-region replica holds a
 * replication slot on its source, and while the replica or the link is down the source keeps every
 * WAL segment for it; storage autoscaling would grow the source (irreversibly) to its ceiling and
 * then it is full. With this bound the source keeps at most this much for a slot: a replica that
 * falls further behind has its slot invalidated (wal_status "lost") and can never catch up (RDS
 * archives WAL to S3 for in-Region replicas only), so it must be rebuilt: a new replica seeded from
 * the source. Of the allocated storage, not the ceiling: storage autoscaling grows a disk at most
 * every six hours, so a busy source would fill its disk long before a bound taken from the ceiling
 * (and every growth it forces is for good). A fifth leaves the data four fifths before retained WAL
 * starts autoscaling; a replica outlives an outage in which the source writes less WAL than that.
 * The source's slot-lag alarm (ReplicationSourceAlarms) fires at half of it.
 */
export function slotWalKeepSizeMb(allocatedStorageGb: number): number {
  return Math.floor((allocatedStorageGb * 1024) / 5);
}

/**
 * The bound while a replica of the database is seeded in another region (its snapshot copied
 * across regions and restored, hours for a large database, while the slot holds every WAL segment
 * since): a quarter of the storage ceiling, which autoscaling may grow it to, so a seed that stalls
 * is cut off (its slot lost: seed it again) before the only writer's disk is full.
 */
export function seedSlotWalKeepSizeMb(maxAllocatedStorageGb: number): number {
  return Math.floor((maxAllocatedStorageGb * 1024) / 4);
}

/**
 * A read-serving replica's longest wait for a read that conflicts with the WAL it applies, before
 * cancelling the read: 5 minutes. With hot_standby_feedback on, vacuum's cleanup no longer
 * conflicts; what remains (locks taken by DDL, vacuum truncating a table) is rare. Long enough for
 * report-length reads; short enough that the recovery site's reads are at most 5 minutes stale, a
 * promotion has at most 5 minutes of held-back WAL to replay (received WAL is on the replica: no
 * data is at risk), and one wait cannot hold the replica-lag alarm's metric (RDS's ReplicaLag is the
 * replay lag) above its threshold for the alarm's 5 one-minute periods.
 */
export const MAX_STANDBY_STREAMING_DELAY_MS = 5 * 60 * 1000;

/**
 * The final snapshot's identifier: unique per project and stack (snapshot identifiers are per
 * account and region), and per restored snapshot. Letters, digits and single hyphens, at most 255.
 */
export function finalSnapshotName(
  stack: string,
  name: string,
  snapshot?: string,
): string {
  const source = snapshot ? `-from-${snapshot.split(":").pop()}` : "";
  return physicalName(stack, `${name}-final${source}`, { maxLength: 255 });
}

/**
 * A PostgreSQL RDS instance that is private, encrypted with its own KMS key, TLS-only, backed up
 * for backupRetentionDays and, when protected, impossible to delete by accident. New, restored from
 * a snapshot, or a cross-region read replica (promoted in place).
 */
export class Database extends pulumi.ComponentResource {
  readonly instance: rds.Instance;
  /** The database's own key (a restored one stays under the snapshot's key). */
  readonly kmsKey: kms.Key;
  readonly arn: pulumi.Output<string>;
  readonly address: pulumi.Output<string>;
  /** Its max_slot_wal_keep_size (MB), which its replication-source alarms are set against. */
  readonly maxSlotWalKeepSizeMb: number;

  constructor(
    name: string,
    args: DatabaseArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:Database", name, {}, opts);
    const parent = { parent: this };
    const { protect } = args;
    const finalSnapshot = args.finalSnapshot ?? protect;
    const restoring = args.snapshotIdentifier !== undefined;
    // Data, size, database name and master user come from a snapshot or a source database.
    const inherited = restoring || args.replica !== undefined;

    // Always made, even for a restore (RDS keeps the snapshot's key, so a restore is not asked to
    // use it): a database that changes origin in place, a replica taken over by a backup-restore
    // failover say, keeps the key it is encrypted with instead of seeing it deleted.
    this.kmsKey = createEncryptionKey(`${name}-key`, {
      description: `Encrypts the ${name} database and its snapshots`,
      parent: this,
      protect,
      // Its final snapshot outlives it, under this key.
      retain: protect || finalSnapshot,
    });
    this.maxSlotWalKeepSizeMb = args.seedsReplica
      ? seedSlotWalKeepSizeMb(args.maxAllocatedStorageGb)
      : slotWalKeepSizeMb(args.allocatedStorageGb);
    // A major engineVersion change needs a group of the new family: Pulumi creates it (autonamed)
    // before deleting the old one, the instance switches to it in the same modification, applied
    // at once, so the old group is free to delete in the same `pulumi up`. A change of the
    // parameters alone is an update in place (ModifyDBParameterGroup).
    const params = new rds.ParameterGroup(
      `${name}-params`,
      {
        family: `postgres${args.engineVersion}`,
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_connections", value: "1" },
          // In the group of a database that is (or was) a standby: the primary class's upper bound,
          // so it is never below its source's. RDS refuses "immediate" for static parameters.
          ...Object.entries(
            args.replication?.primaryInstanceClass
              ? hotStandbySettings(args.replication.primaryInstanceClass)
              : {},
          ).map(([key, value]) => ({
            name: key,
            value: String(value),
            applyMethod: "pending-reboot",
          })),
          ...(args.readOnly
            ? [{ name: "default_transaction_read_only", value: "1" }]
            : []),
          // Dynamic: applies at once. Only slots on this database read it (its replicas' slots).
          {
            name: "max_slot_wal_keep_size",
            value: String(this.maxSlotWalKeepSizeMb),
          },
          // Long reads on the replica are not cancelled for the rows vacuum removes on the source:
          // the source keeps them while those reads run (bloat there), and while the replica is
          // away its slot holds the last horizon it reported. Kept after a promotion, where they
          // do nothing, so a failover changes no parameter.
          ...(args.replication?.servesReads
            ? [
                { name: "hot_standby_feedback", value: "1" },
                {
                  name: "max_standby_streaming_delay",
                  value: String(MAX_STANDBY_STREAMING_DELAY_MS),
                },
              ]
            : []),
        ],
      },
      parent,
    );

    // Performance Insights is not offered on the smallest burstable classes.
    const insights = !/\.(micro|small)$/.test(args.instanceClass);
    this.instance = new rds.Instance(
      name,
      {
        engine: "postgres",
        engineVersion: args.engineVersion,
        // A version bump in config is deliberate; RDS refuses major upgrades without this.
        allowMajorVersionUpgrade: true,
        // Every modification (upgrade, resize) happens during `pulumi up`, not at the next
        // maintenance window: a deferred upgrade would keep the old parameter group in use, and
        // a deferred resize would leave a failed-over database at standby size.
        applyImmediately: true,
        identifier: args.identifier,
        instanceClass: args.instanceClass,
        replicateSourceDb: args.replica?.sourceArn,
        // A snapshot or source brings its own size, which may have grown past the configured one.
        allocatedStorage: inherited ? undefined : args.allocatedStorageGb,
        maxAllocatedStorage: args.maxAllocatedStorageGb,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: restoring ? undefined : this.kmsKey.arn,
        publiclyAccessible: false,
        multiAz: args.multiAz,
        dbSubnetGroupName: args.subnetGroupName,
        vpcSecurityGroupIds: [args.securityGroupId],
        parameterGroupName: params.name,
        snapshotIdentifier: args.snapshotIdentifier,
        dbName: inherited ? undefined : args.dbName,
        username: inherited ? undefined : args.username,
        password: args.replica ? undefined : args.password,
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        autoMinorVersionUpgrade: true,
        iamDatabaseAuthenticationEnabled: true,
        performanceInsightsEnabled: insights,
        performanceInsightsKmsKeyId: insights ? this.kmsKey.arn : undefined,
        enabledCloudwatchLogsExports: ["postgresql"],
        deletionProtection: protect,
        skipFinalSnapshot: !finalSnapshot,
        // Named after the restored snapshot, so a second failover's database does not collide
        // with the first one's final snapshot.
        finalSnapshotIdentifier: finalSnapshot
          ? pulumi
              .output(args.snapshotIdentifier)
              .apply((s) => finalSnapshotName(pulumi.getStack(), name, s))
          : undefined,
        tags: args.tags,
      },
      dataOptions(this, protect, {
        // A promotion with a Multi-AZ conversion and resize, or a large restore, outlasts the
        // provider's default 80 minutes.
        customTimeouts: { create: "3h", update: "3h" },
        // A database whose data came from elsewhere keeps what was fixed at its creation: a later
        // snapshot lookup must not replace (or rename the final snapshot of) one that runs from an
        // older snapshot, and a tier change while failed over (restored <-> promoted replica) must
        // not replace it for another origin or key, losing the writes it took since.
        ignoreChanges: inherited
          ? [
              "snapshotIdentifier",
              "kmsKeyId",
              // Not performanceInsightsKmsKeyId: it is this database's own key wherever Performance
              // Insights is on (set when it first turns on, and never changed after: RDS refuses
              // that, the provider does not replace for it), unset while it is off. So the only
              // change the engine sees is unset to the own key: a replica too small for Performance
              // Insights, promoted and resized to a class that has it. Ignored, that resize would
              // turn it on under the AWS managed key, for good.
              ...(restoring ? ["finalSnapshotIdentifier"] : []),
              ...(args.promotionOnly
                ? [
                    "instanceClass",
                    "multiAz",
                    "backupRetentionPeriod",
                    // A change of it is a ModifyDBInstance the provider waits for after the
                    // promotion (and RDS may refuse while the instance is still modifying).
                    "deletionProtection",
                  ]
                : []),
            ]
          : undefined,
      }),
    );

    this.arn = this.instance.arn;
    this.address = this.instance.address;
    this.registerOutputs({
      arn: this.arn,
      address: this.address,
      kmsKeyArn: this.kmsKey?.arn,
    });
  }
}
