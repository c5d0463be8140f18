import * as pulumi from "@pulumi/pulumi";
import type * as kms from "@pulumi/aws/kms";
import * as rds from "@pulumi/aws/rds";
import { createEncryptionKey, dataOptions } from "./encryption-key";

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
  /** Isolated subnets, one per AZ. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  /** Restore from this DB snapshot (identifier or ARN) instead of starting empty. */
  snapshotIdentifier?: pulumi.Input<string>;
  /** Extra tags, e.g. the backup selection tag. */
  tags?: Record<string, string>;
  /**
   * Production guards: deletion protection, a final snapshot, Pulumi protect and retainOnDelete.
   */
  protect: boolean;
  /** Keep the database, its key and a final snapshot when it leaves the program. Default: protect. */
  retainOnDelete?: boolean;
}

/**
 * A PostgreSQL RDS instance that is private, encrypted with its own KMS key, TLS-only, backed up
 * for backupRetentionDays and, when protected, impossible to delete by accident.
 */
export class Database extends pulumi.ComponentResource {
  readonly instance: rds.Instance;
  /** The database's own key; none when restored, as RDS keeps the snapshot's key. */
  readonly kmsKey?: kms.Key;
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
    const retain = args.retainOnDelete ?? protect;
    const restoring = args.snapshotIdentifier !== undefined;

    // RDS restores a snapshot under the snapshot's key and cannot change it later: asking for
    // another key would make every later `pulumi up` replace the restored database.
    this.kmsKey = restoring
      ? undefined
      : createEncryptionKey(
          `${name}-key`,
          `Encrypts the ${name} database and its snapshots`,
          this,
          protect,
          retain,
        );
    const subnets = new rds.SubnetGroup(
      `${name}-subnets`,
      { subnetIds: args.subnetIds },
      parent,
    );
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
        instanceClass: args.instanceClass,
        allocatedStorage: args.allocatedStorageGb,
        maxAllocatedStorage: args.maxAllocatedStorageGb,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: this.kmsKey?.arn,
        publiclyAccessible: false,
        multiAz: args.multiAz,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        parameterGroupName: params.name,
        // A snapshot brings its own database and master user.
        snapshotIdentifier: args.snapshotIdentifier,
        dbName: restoring ? undefined : args.dbName,
        username: restoring ? undefined : args.username,
        password: args.password,
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        autoMinorVersionUpgrade: true,
        iamDatabaseAuthenticationEnabled: true,
        performanceInsightsEnabled: insights,
        performanceInsightsKmsKeyId: insights ? this.kmsKey?.arn : undefined,
        enabledCloudwatchLogsExports: ["postgresql"],
        deletionProtection: retain,
        skipFinalSnapshot: !retain,
        finalSnapshotIdentifier: retain ? `${name}-final` : undefined,
        tags: args.tags,
      },
      // A later snapshot lookup must not replace a database that already runs from an older one.
      dataOptions(
        this,
        protect,
        retain,
        restoring ? { ignoreChanges: ["snapshotIdentifier"] } : undefined,
      ),
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
