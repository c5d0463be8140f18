import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as rds from "@pulumi/aws/rds";
import * as vpc from "@pulumi/aws/vpc";
import * as awsxEc2 from "@pulumi/awsx/ec2";
import { POSTGRES_PORT } from "@aws-dr/contracts";
import { subnetLayout, type SubnetLayout } from "./subnet-layout";

export interface NetworkArgs {
  /** VPC CIDR block, /16 to /24. */
  cidrBlock: string;
  /**
   * Availability zone names, 2 to 4, in a fixed order: zone i owns subnet slot i (subnetLayout).
   * Named, not counted, so awsx never looks the zones up: a lookup in the primary region would
   * fail the failover `pulumi up` while that region is down.
   */
  zones: string[];
  /**
   * NAT gateways for the fleet's egress: none (a standby network; the subnets and routes tables
   * stay, so adding NAT later adds resources and moves nothing), one, or one per AZ so an AZ outage
   * does not cut egress.
   */
  natGateways: "none" | "single" | "one-per-az";
  /** Port the fleet serves HTTP on; the only port the load balancer may reach it on. */
  appPort: number;
  /** Listener ports the load balancer accepts from the internet. */
  publicPorts: number[];
}

const NAT_STRATEGY = {
  none: awsxEc2.NatGatewayStrategy.None,
  single: awsxEc2.NatGatewayStrategy.Single,
  "one-per-az": awsxEc2.NatGatewayStrategy.OnePerAz,
} as const;

/**
 * A VPC with public (load balancer), private (fleet) and isolated (database) subnets in every AZ,
 * the database subnet group, and the security groups that chain them: internet -> ALB -> fleet ->
 * database, nothing else.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  /** Known once every NAT gateway is available: the fleet's egress (none without NAT). */
  readonly natGatewayIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly isolatedSubnetIds: pulumi.Output<string[]>;
  /** Each subnet tier's CIDR blocks, in zone order: fixed by the config, known before deployment. */
  readonly subnets: SubnetLayout;
  /** The route table of each private (fleet) subnet, in zone order. */
  readonly privateRouteTableIds: pulumi.Output<string>[];
  /** The route table of each isolated (database) subnet, in zone order. */
  readonly isolatedRouteTableIds: pulumi.Output<string>[];
  /** RDS subnet group over the isolated subnets: for the site's database and restore tests. */
  readonly dbSubnetGroupName: pulumi.Output<string>;
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly appSecurityGroupId: pulumi.Output<string>;
  readonly databaseSecurityGroupId: pulumi.Output<string>;

  constructor(
    name: string,
    args: NetworkArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:compute:Network", name, {}, opts);
    const parent = { parent: this };

    // Explicit blocks per zone: awsx's own allocation sizes subnets from the zone count, so a
    // new zone would re-cut (and overlap) every existing subnet. With cidrBlocks awsx takes each
    // zone's block as given, names subnets by zone position, and "Auto" checks none overlap.
    const layout = subnetLayout(args.cidrBlock, args.zones.length);
    const net = new awsxEc2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        availabilityZoneNames: args.zones,
        enableDnsHostnames: true,
        natGateways: { strategy: NAT_STRATEGY[args.natGateways] },
        subnetStrategy: awsxEc2.SubnetAllocationStrategy.Auto,
        subnetSpecs: [
          {
            type: awsxEc2.SubnetType.Public,
            name: "public",
            cidrBlocks: layout.public,
          },
          {
            type: awsxEc2.SubnetType.Private,
            name: "private",
            cidrBlocks: layout.private,
          },
          {
            type: awsxEc2.SubnetType.Isolated,
            name: "isolated",
            cidrBlocks: layout.isolated,
          },
        ],
      },
      parent,
    );
    this.vpcId = net.vpcId;
    this.natGatewayIds = net.natGateways.apply((gateways) =>
      pulumi.all((gateways ?? []).map((gateway) => gateway.id)),
    );
    this.publicSubnetIds = net.publicSubnetIds;
    this.privateSubnetIds = net.privateSubnetIds;
    this.isolatedSubnetIds = net.isolatedSubnetIds;
    this.subnets = layout;
    // awsx gives every subnet its own route table; its associations say which is whose.
    const routeTableBySubnet = net.routeTableAssociations.apply((list) =>
      pulumi.all(list.map((a) => pulumi.all([a.subnetId, a.routeTableId]))),
    );
    const routeTables = (subnetIds: pulumi.Output<string[]>) =>
      args.zones.map((zone, i) =>
        pulumi.all([subnetIds, routeTableBySubnet]).apply(([ids, pairs]) => {
          const pair = pairs.find(([subnetId]) => subnetId === ids[i]);
          if (!pair)
            throw new Error(`no route table for ${name}'s subnet in ${zone}`);
          return pair[1];
        }),
      );
    this.privateRouteTableIds = routeTables(net.privateSubnetIds);
    this.isolatedRouteTableIds = routeTables(net.isolatedSubnetIds);
    this.dbSubnetGroupName = new rds.SubnetGroup(
      `${name}-db-subnets`,
      { subnetIds: net.isolatedSubnetIds },
      parent,
    ).name;

    const group = (suffix: string, description: string) =>
      new ec2.SecurityGroup(
        `${name}-${suffix}`,
        { vpcId: net.vpcId, description, revokeRulesOnDelete: true },
        parent,
      );
    const alb = group("alb-sg", "Load balancer: HTTP(S) from the internet");
    const app = group("app-sg", "Fleet: app port from the load balancer only");
    const db = group("db-sg", "Database: PostgreSQL from the fleet only");

    for (const port of args.publicPorts) {
      new vpc.SecurityGroupIngressRule(
        `${name}-alb-in-${port}`,
        {
          securityGroupId: alb.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: "0.0.0.0/0",
        },
        parent,
      );
    }
    const allow = (
      rule: string,
      groupId: pulumi.Output<string>,
      peer: pulumi.Output<string>,
      port: number,
      direction: "in" | "out",
    ) => {
      const ruleArgs = {
        securityGroupId: groupId,
        referencedSecurityGroupId: peer,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
      };
      return direction === "in"
        ? new vpc.SecurityGroupIngressRule(`${name}-${rule}`, ruleArgs, parent)
        : new vpc.SecurityGroupEgressRule(`${name}-${rule}`, ruleArgs, parent);
    };
    allow("alb-to-app", alb.id, app.id, args.appPort, "out");
    allow("app-from-alb", app.id, alb.id, args.appPort, "in");
    allow("app-to-db", app.id, db.id, POSTGRES_PORT, "out");
    allow("db-from-app", db.id, app.id, POSTGRES_PORT, "in");
    // Instances reach package mirrors and AWS APIs (SSM, CloudWatch) over HTTPS through the NAT
    // (a network without NAT has no route out: the rule then opens nothing).
    new vpc.SecurityGroupEgressRule(
      `${name}-app-https-out`,
      {
        securityGroupId: app.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      },
      parent,
    );

    this.albSecurityGroupId = alb.id;
    this.appSecurityGroupId = app.id;
    this.databaseSecurityGroupId = db.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      dbSubnetGroupName: this.dbSubnetGroupName,
      albSecurityGroupId: this.albSecurityGroupId,
      appSecurityGroupId: this.appSecurityGroupId,
      databaseSecurityGroupId: this.databaseSecurityGroupId,
    });
  }
}
