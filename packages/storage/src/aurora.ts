import * as pulumi from "@pulumi/pulumi";
import type * as kms from "@pulumi/aws/kms";
import * as rds from "@pulumi/aws/rds";
import { createEncryptionKey, dataOptions } from "@aws-dr/aws-kit";
import { finalSnapshotName } from "./database";

/**
 * What AWS changes on a global database's members when the writer moves (managed failover or
 * switchover), and what the provider would act on at the next `pulumi up`: removing a
 * replicationSourceIdentifier it reads back promotes the cluster (PromoteReadReplicaDBCluster),
 * a globalClusterIdentifier it reads back as changed removes the cluster from the global database
 * (terraform-provider-aws #42919, cloudposse/terraform-aws-rds-cluster #281, CloudFormation
 * roadmap #1856), and the global cluster upgrades its members' engine version itself (the
 * provider's GlobalCluster docs). Database name and master user are fixed at creation (a change
 * would replace the cluster and its data), and a secondary reads them from the writer.
 */
export const AURORA_MEMBER_IGNORED = [
  "replicationSourceIdentifier",
  "globalClusterIdentifier",
  "engineVersion",
  "databaseName",
  "masterUsername",
];

export interface GlobalDatabaseArgs {
  /** Fixed physical identifier: the failover and switchover commands name it. */
  identifier: string;
  /** Full Aurora PostgreSQL version, e.g. "16.6". */
  engineVersion: string;
  protect: boolean;
}

/**
 * An Aurora global database: the container its regional clusters join. It holds no data of its
 * own, but its members cannot leave it by accident, so it is guarded like them. Its endpoint is the
 * global writer endpoint, which AWS points at whichever member writes: the app's writer.
 */
export class GlobalDatabase extends pulumi.ComponentResource {
  readonly cluster: rds.GlobalCluster;
  readonly identifier: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;

  constructor(
    name: string,
    args: GlobalDatabaseArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:GlobalDatabase", name, {}, opts);
    this.cluster = new rds.GlobalCluster(
      name,
      {
        globalClusterIdentifier: args.identifier,
        engine: "aurora-postgresql",
        engineVersion: args.engineVersion,
        storageEncrypted: true,
        deletionProtection: args.protect,
      },
      // Minor upgrades move the version past the one it was created with; a refresh would
      // otherwise have the next run "upgrade" it back.
      dataOptions(this, args.protect, { ignoreChanges: ["engineVersion"] }),
    );
    this.identifier = this.cluster.globalClusterIdentifier;
    this.endpoint = this.cluster.endpoint;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}

export interface AuroraClusterArgs {
  /** Full Aurora PostgreSQL version, e.g. "16.6" (its major names the parameter group family). */
  engineVersion: string;
  /** Fixed physical identifier. */
  identifier: string;
  /** Its instances; none: a headless secondary (storage only). */
  instances: { name: string; instanceClass: string }[];
  backupRetentionDays: number;
  dbName: string;
  username: string;
  password: pulumi.Input<string>;
  subnetGroupName: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  /** A member of this global database; its writer endpoint is the app's writer. */
  global?: { identifier: pulumi.Input<string>; endpoint: pulumi.Input<string> };
  /** A secondary member: data, database name and master user are the writer's. */
  secondary?: boolean;
  /** A secondary that forwards writes to the writer (session consistency). */
  writeForwarding?: boolean;
  /** rds.global_db_rpo in seconds (dr:database.globalRpoSeconds). */
  globalRpoSeconds?: number;
  /** Restore from this cluster snapshot (identifier or ARN) instead of starting empty. */
  snapshotIdentifier?: pulumi.Input<string>;
  tags?: Record<string, string>;
  protect: boolean;
  /** Take a final snapshot when deleted. Default: protect. */
  finalSnapshot?: boolean;
}

/**
 * An Aurora PostgreSQL cluster: private, encrypted with its own regional key, TLS only, IAM auth,
 * logs exported, deletion protection and `protect` when guarded. Regional, a global database's
 * primary, or its secondary (headless or with readers); a member's inputs are the same whichever
 * member writes (AURORA_MEMBER_IGNORED), so `pulumi up` agrees with a failover AWS made.
 */
export class AuroraCluster extends pulumi.ComponentResource {
  readonly cluster: rds.Cluster;
  readonly instances: rds.ClusterInstance[];
  readonly kmsKey: kms.Key;
  readonly arn: pulumi.Output<string>;
  readonly identifier: pulumi.Output<string>;
  /** The app's writer: the global writer endpoint in a global database, else the cluster's. */
  readonly address: pulumi.Output<string>;
  /** This region's reader endpoint. */
  readonly readerAddress: pulumi.Output<string>;

  constructor(
    name: string,
    args: AuroraClusterArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:AuroraCluster", name, {}, opts);
    const parent = { parent: this };
    const { protect } = args;
    const finalSnapshot = args.finalSnapshot ?? protect;
    const inherited = args.secondary || args.snapshotIdentifier !== undefined;
    this.kmsKey = createEncryptionKey(`${name}-key`, {
      description: `Encrypts the ${name} Aurora cluster and its snapshots`,
      parent: this,
      protect,
      retain: protect || finalSnapshot,
    });
    const major = args.engineVersion.split(".")[0];
    const params = new rds.ClusterParameterGroup(
      `${name}-params`,
      {
        family: `aurora-postgresql${major}`,
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_connections", value: "1" },
          // In every member's group: it is the writer's that counts, and either member may write.
          ...(args.globalRpoSeconds !== undefined
            ? [
                {
                  name: "rds.global_db_rpo",
                  value: String(args.globalRpoSeconds),
                },
              ]
            : []),
          // Forwarded writes see the session's own earlier writes (static: the next reboot).
          ...(args.writeForwarding
            ? [
                {
                  name: "apg_write_forward.consistency_mode",
                  value: "session",
                  applyMethod: "pending-reboot",
                },
              ]
            : []),
        ],
      },
      parent,
    );
    this.cluster = new rds.Cluster(
      name,
      {
        clusterIdentifier: args.identifier,
        engine: "aurora-postgresql",
        // A restore takes the snapshot's version (RDS refuses a lower one, and a pinned minor
        // retires): the version goes only with a cluster created empty or as a member.
        engineVersion:
          args.snapshotIdentifier !== undefined
            ? undefined
            : args.engineVersion,
        allowMajorVersionUpgrade: true,
        applyImmediately: true,
        globalClusterIdentifier: args.global?.identifier,
        enableGlobalWriteForwarding: args.writeForwarding || undefined,
        snapshotIdentifier: args.snapshotIdentifier,
        databaseName: inherited ? undefined : args.dbName,
        masterUsername: inherited ? undefined : args.username,
        // A global database's members cannot use Secrets Manager's managed password (RDS).
        masterPassword: args.secondary ? undefined : args.password,
        storageEncrypted: true,
        kmsKeyId: this.kmsKey.arn,
        dbSubnetGroupName: args.subnetGroupName,
        vpcSecurityGroupIds: [args.securityGroupId],
        dbClusterParameterGroupName: params.name,
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: ["postgresql"],
        deletionProtection: protect,
        skipFinalSnapshot: !finalSnapshot,
        // Named after the restored snapshot, so a second failover's cluster does not collide with
        // the first one's final snapshot.
        finalSnapshotIdentifier: finalSnapshot
          ? pulumi
              .output(args.snapshotIdentifier)
              .apply((s) => finalSnapshotName(pulumi.getStack(), name, s))
          : undefined,
        tags: args.tags,
      },
      dataOptions(this, protect, {
        customTimeouts: { create: "3h", update: "3h" },
        ignoreChanges: [
          ...AURORA_MEMBER_IGNORED,
          // A restored cluster keeps what it was restored from (and its final snapshot's name).
          ...(args.snapshotIdentifier !== undefined
            ? ["snapshotIdentifier", "finalSnapshotIdentifier"]
            : []),
        ],
      }),
    );
    this.instances = args.instances.map(
      (instance) =>
        new rds.ClusterInstance(
          instance.name,
          {
            clusterIdentifier: this.cluster.id,
            engine: "aurora-postgresql",
            instanceClass: instance.instanceClass,
            publiclyAccessible: false,
            applyImmediately: true,
            autoMinorVersionUpgrade: true,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: this.kmsKey.arn,
            copyTagsToSnapshot: true,
            tags: args.tags,
          },
          // Instances hold no data (the cluster volume does): removing one loses nothing.
          { parent: this, ignoreChanges: ["engineVersion"] },
        ),
    );
    this.arn = this.cluster.arn;
    this.identifier = this.cluster.clusterIdentifier;
    this.address = args.global
      ? pulumi.output(args.global.endpoint)
      : this.cluster.endpoint;
    this.readerAddress = this.cluster.readerEndpoint;
    this.registerOutputs({
      arn: this.arn,
      address: this.address,
      readerAddress: this.readerAddress,
    });
  }
}
