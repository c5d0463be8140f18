import * as pulumi from "@pulumi/pulumi";
import { ROLE_TAG } from "@aws-dr/contracts";
import {
  databaseBackupRetentionDays,
  type DrConfig,
  type FleetSize,
} from "@aws-dr/model";
import { Fleet, LoadBalancer } from "@aws-dr/compute";
import { AuroraCluster, Database, type DatabaseArgs } from "@aws-dr/storage";
import {
  AURORA_ENGINE_VERSIONS,
  type AuroraInstancePhase,
} from "@aws-dr/model";

/** How one of a site's databases differs from the configured one. */
export type DatabaseOverrides = Partial<
  Pick<
    DatabaseArgs,
    | "instanceClass"
    | "multiAz"
    | "backupRetentionDays"
    | "snapshotIdentifier"
    | "replica"
    | "identifier"
    | "finalSnapshot"
    | "promotionOnly"
    | "readOnly"
    | "seedsReplica"
    | "protect"
    | "tags"
    | "replication"
  >
> & {
  /** Logical name; default `<site>-db`. A failback's successor gets the next generation's. */
  name?: string;
  /** Aurora (dr:database.engine=aurora-postgresql): the cluster's shape. */
  aurora?: {
    instances: AuroraInstancePhase[];
    global?: {
      identifier: pulumi.Input<string>;
      endpoint: pulumi.Input<string>;
    };
    secondary: boolean;
    writeForwarding: boolean;
    /** Sets rds.global_db_rpo (the phase's rpoBound). */
    rpoBound: boolean;
  };
};

/** A site's database as the wiring sees it, on either engine. */
export interface SiteDatabase {
  arn: pulumi.Output<string>;
  /** The app's writer: the instance, the cluster, or a global database's writer endpoint. */
  address: pulumi.Output<string>;
  /** The app's reader in this region. */
  readerAddress: pulumi.Output<string>;
  identifier: pulumi.Output<string>;
  /** What must exist before traffic reaches the site: the instance, or the cluster and its instances. */
  resources: pulumi.Resource[];
  /** The instance's or the cluster's URN (the stack's recoveryDatabaseUrn output). */
  urn: pulumi.Output<string>;
  /** Known once AWS has made it. */
  id: pulumi.Output<string>;
  snapshotIdentifier: pulumi.Output<string | undefined>;
  /** The RDS instance, on the RDS engine. */
  rds?: Database;
  /** The Aurora cluster, on Aurora. */
  aurora?: AuroraCluster;
}

function rdsView(db: Database): SiteDatabase {
  const { instance } = db;
  return {
    arn: db.arn,
    address: db.address,
    readerAddress: db.address,
    identifier: instance.identifier,
    resources: [instance],
    urn: instance.urn,
    id: instance.id,
    snapshotIdentifier: instance.snapshotIdentifier,
    rds: db,
  };
}

function auroraView(db: AuroraCluster): SiteDatabase {
  const { cluster } = db;
  return {
    arn: db.arn,
    address: db.address,
    readerAddress: db.readerAddress,
    identifier: db.identifier,
    resources: [cluster, ...db.instances],
    urn: cluster.urn,
    id: cluster.id,
    snapshotIdentifier: cluster.snapshotIdentifier,
    aurora: db,
  };
}
import type { Region } from "./regions";

export interface SiteArgs {
  cfg: DrConfig;
  /** The region's groundwork: network, log bucket, volume key. */
  region: Region;
  /** The stack's Auto Scaling service-linked role, allowed to use the region's volume key. */
  autoScalingRoleArn: pulumi.Input<string>;
  /** AMI the fleet launches in this site's region. */
  amiId: pulumi.Input<string>;
  certificateArn?: string;
  fleetSize: FleetSize;
  /** Whether `pulumi up` waits for the fleet's healthy capacity (FleetArgs.waitForCapacity). */
  waitForCapacity: boolean;
  /** Where the fleet alarms while it runs short of minSize (FleetArgs.capacityAlarmTopicArn). */
  capacityAlarmTopicArn?: pulumi.Input<string>;
  /** What the fleet's changes wait for (FleetArgs.after). */
  fleetAfter?: pulumi.Input<pulumi.Resource[]>;
  databasePassword: pulumi.Input<string>;
  /**
   * How this site's serving database differs from the configured one: a snapshot or replica
   * origin, a standby size, its identifier, its guard (default: protect), its final snapshot.
   */
  database?: DatabaseOverrides;
  /**
   * A second database during a failback: the successor replicating the promoted recovery database,
   * or, once the successor serves, the stale predecessor kept until its final snapshot.
   */
  otherDatabase?: DatabaseOverrides & { name: string };
  /** Instance profile made ahead of time; default: the fleet makes its own. */
  instanceProfileArn?: pulumi.Input<string>;
  /** The app's permissions, for a fleet that makes its own instance profile. */
  appPolicy?: pulumi.Input<string>;
  /** Production guards on the database and load balancer. */
  protect: boolean;
  /** A site that does not serve (a standby): its load balancer goes without guards by design. */
  standby?: boolean;
}

/**
 * One running copy of the workload in one region: load balancer, fleet and database, on the
 * region's network. The region is the provider's the site is created with.
 */
export class Site extends pulumi.ComponentResource {
  readonly loadBalancer: LoadBalancer;
  readonly fleet: Fleet;
  /** The database the site's app uses. */
  readonly database: SiteDatabase;
  readonly otherDatabase?: SiteDatabase;
  readonly url: pulumi.Output<string>;

  constructor(
    name: string,
    args: SiteArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:stacks:Site", name, {}, opts);
    const parent = { parent: this };
    const { cfg, region } = args;
    const { app, database: configured } = cfg;
    const { network } = region;

    this.loadBalancer = new LoadBalancer(
      name,
      {
        vpcId: network.vpcId,
        subnetIds: network.publicSubnetIds,
        securityGroupId: network.albSecurityGroupId,
        targetPort: app.port,
        healthCheckPath: app.healthCheckPath,
        certificateArn: args.certificateArn,
        deletionProtection: args.protect,
        accessLogsBucket: region.logs.name,
        tags: args.standby ? { [ROLE_TAG]: "standby" } : undefined,
      },
      parent,
    );
    this.fleet = new Fleet(
      name,
      {
        subnetIds: network.privateSubnetIds,
        securityGroupId: network.appSecurityGroupId,
        targetGroupArn: this.loadBalancer.targetGroupArn,
        amiId: args.amiId,
        instanceType: app.instanceType,
        ...args.fleetSize,
        waitForCapacity: args.waitForCapacity,
        capacityAlarmTopicArn: args.capacityAlarmTopicArn,
        after: args.fleetAfter,
        cpuTargetPercent: app.cpuTargetPercent,
        volumeSizeGb: app.volumeSizeGb,
        volumeKmsKeyArn: region.volumeKey.arn,
        autoScalingRoleArn: args.autoScalingRoleArn,
        instanceProfileArn: args.instanceProfileArn,
        appPolicy: args.appPolicy,
        permissionsBoundary: args.cfg.iamPermissionsBoundary,
      },
      parent,
    );
    const newAurora = (
      dbName: string,
      { aurora, ...overrides }: DatabaseOverrides,
    ) => {
      if (!aurora || !overrides.identifier)
        throw new Error(
          `${dbName}: an Aurora cluster needs its shape and identifier`,
        );
      return new AuroraCluster(
        dbName,
        {
          engineVersion: AURORA_ENGINE_VERSIONS[configured.engineVersion],
          identifier: overrides.identifier as string,
          instances: aurora.instances,
          backupRetentionDays: databaseBackupRetentionDays(cfg),
          dbName: configured.dbName,
          username: configured.username,
          password: args.databasePassword,
          subnetGroupName: network.dbSubnetGroupName,
          securityGroupId: network.databaseSecurityGroupId,
          global: aurora.global,
          secondary: aurora.secondary,
          writeForwarding: aurora.writeForwarding,
          // A regional cluster has no secondary to wait for, nor a failover's writer (rpoBound).
          globalRpoSeconds: aurora.rpoBound
            ? configured.globalRpoSeconds
            : undefined,
          snapshotIdentifier: overrides.snapshotIdentifier,
          tags: overrides.tags,
          protect: overrides.protect ?? args.protect,
          finalSnapshot: overrides.finalSnapshot,
        },
        parent,
      );
    };
    const newDatabase = ({ name: dbName, ...overrides }: DatabaseOverrides) =>
      overrides.aurora
        ? auroraView(newAurora(dbName ?? `${name}-db`, overrides))
        : rdsView(newRds({ name: dbName, ...overrides }));
    const newRds = ({ name: dbName, ...overrides }: DatabaseOverrides) =>
      new Database(
        dbName ?? `${name}-db`,
        {
          engineVersion: configured.engineVersion,
          instanceClass: configured.instanceClass,
          allocatedStorageGb: configured.allocatedStorageGb,
          maxAllocatedStorageGb: configured.maxAllocatedStorageGb,
          backupRetentionDays: databaseBackupRetentionDays(cfg),
          multiAz: configured.multiAz,
          dbName: configured.dbName,
          username: configured.username,
          password: args.databasePassword,
          subnetGroupName: network.dbSubnetGroupName,
          securityGroupId: network.databaseSecurityGroupId,
          protect: args.protect,
          ...overrides,
          aurora: undefined,
        } as DatabaseArgs,
        parent,
      );
    this.database = newDatabase(args.database ?? {});
    if (args.otherDatabase)
      this.otherDatabase = newDatabase(args.otherDatabase);
    this.url = pulumi.interpolate`${this.loadBalancer.scheme}://${this.loadBalancer.dnsName}`;
    this.registerOutputs({
      url: this.url,
      databaseAddress: this.database.address,
    });
  }
}
