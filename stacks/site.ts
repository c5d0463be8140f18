import * as pulumi from "@pulumi/pulumi";
import type { AppConfig, DatabaseConfig, FleetSize } from "@aws-dr/core";
import { Fleet, LoadBalancer, Network } from "@aws-dr/compute";
import { Database } from "@aws-dr/storage";

export interface SiteArgs {
  app: AppConfig;
  database: DatabaseConfig;
  network: {
    cidrBlock: string;
    availabilityZones: number;
    natGateways: "single" | "one-per-az";
  };
  /** AMI the fleet launches in this site's region. */
  amiId: pulumi.Input<string>;
  certificateArn?: string;
  fleetSize: FleetSize;
  databasePassword: pulumi.Input<string>;
  /** Start the database from this snapshot (recovery) instead of empty (primary). */
  databaseSnapshot?: pulumi.Input<string>;
  /** Tags on the database and the fleet's volumes, e.g. the backup selection tag. */
  backupTags?: Record<string, string>;
  /** Snapshot the database when the site leaves the program. Default: protect. */
  databaseFinalSnapshot?: boolean;
  /** Instance profile made ahead of time; default: the fleet makes its own. */
  instanceProfileArn?: pulumi.Input<string>;
  /** Production guards on the database and load balancer. */
  protect: boolean;
}

/**
 * One running copy of the workload in one region: network, load balancer, fleet and database.
 * The region is the provider's the site is created with.
 */
export class Site extends pulumi.ComponentResource {
  readonly network: Network;
  readonly loadBalancer: LoadBalancer;
  readonly fleet: Fleet;
  readonly database: Database;
  readonly url: pulumi.Output<string>;

  constructor(
    name: string,
    args: SiteArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:stacks:Site", name, {}, opts);
    const parent = { parent: this };
    const { app, database } = args;
    const listenerPorts = args.certificateArn ? [80, 443] : [80];

    this.network = new Network(
      name,
      { ...args.network, appPort: app.port, publicPorts: listenerPorts },
      parent,
    );
    this.loadBalancer = new LoadBalancer(
      name,
      {
        vpcId: this.network.vpcId,
        subnetIds: this.network.publicSubnetIds,
        securityGroupId: this.network.albSecurityGroupId,
        targetPort: app.port,
        healthCheckPath: app.healthCheckPath,
        certificateArn: args.certificateArn,
        deletionProtection: args.protect,
      },
      parent,
    );
    this.fleet = new Fleet(
      name,
      {
        subnetIds: this.network.privateSubnetIds,
        securityGroupId: this.network.appSecurityGroupId,
        targetGroupArn: this.loadBalancer.targetGroupArn,
        amiId: args.amiId,
        instanceType: app.instanceType,
        ...args.fleetSize,
        cpuTargetPercent: app.cpuTargetPercent,
        volumeSizeGb: app.volumeSizeGb,
        volumeTags: args.backupTags,
        instanceProfileArn: args.instanceProfileArn,
      },
      parent,
    );
    this.database = new Database(
      `${name}-db`,
      {
        engineVersion: database.engineVersion,
        instanceClass: database.instanceClass,
        allocatedStorageGb: database.allocatedStorageGb,
        maxAllocatedStorageGb: database.maxAllocatedStorageGb,
        backupRetentionDays: database.backupRetentionDays,
        multiAz: database.multiAz,
        dbName: database.dbName,
        username: database.username,
        password: args.databasePassword,
        subnetIds: this.network.isolatedSubnetIds,
        securityGroupId: this.network.databaseSecurityGroupId,
        snapshotIdentifier: args.databaseSnapshot,
        tags: args.backupTags,
        protect: args.protect,
        finalSnapshot: args.databaseFinalSnapshot,
      },
      parent,
    );
    this.url = pulumi.interpolate`${this.loadBalancer.scheme}://${this.loadBalancer.dnsName}`;
    this.registerOutputs({
      url: this.url,
      databaseAddress: this.database.address,
    });
  }
}
