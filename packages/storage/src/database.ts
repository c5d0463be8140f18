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
}

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
    // A major engineVersion change needs a group of the new family: Pulumi creates it (autonamed)
    // before deleting the old one, the instance switches to it in the same modification, applied
    // at once, so the old group is free to delete in the same `pulumi up`.
    const params = new rds.ParameterGroup(
      `${name}-params`,
      {
        family: `postgres${args.engineVersion}`,
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_connections", value: "1" },
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
              "performanceInsightsKmsKeyId",
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
