import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";

/** One side of a peering: a VPC and the route tables that send traffic to the other side. */
export interface PeeringSide {
  vpcId: pulumi.Input<string>;
  /** Route tables that get a route to the other side's CIDR block through the peering. */
  routeTableIds: pulumi.Input<string>[];
  /** The block the other side's routes point here: the VPC's. */
  cidrBlock: string;
}

export interface InterRegionPeeringArgs {
  /** The requester, in this component's region. */
  requester: PeeringSide;
  /** The accepter, in another region of the same account. */
  accepter: PeeringSide & {
    region: string;
    /** A provider for the accepter's region: the accept and its routes are made there. */
    provider: pulumi.ProviderResource;
  };
}

/**
 * Inter-region VPC peering within one account: the connection, requested from this component's
 * region, accepted in the other (autoAccept cannot accept across regions), and a route to the other
 * VPC's block in each of the given route tables on both sides. Opens nothing by itself: security
 * groups decide who may use it, by CIDR (they cannot name a group in another region).
 */
export class InterRegionPeering extends pulumi.ComponentResource {
  readonly connectionId: pulumi.Output<string>;

  constructor(
    name: string,
    args: InterRegionPeeringArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:compute:InterRegionPeering", name, {}, opts);
    const { requester, accepter } = args;
    const connection = new ec2.VpcPeeringConnection(
      name,
      {
        vpcId: requester.vpcId,
        peerVpcId: accepter.vpcId,
        peerRegion: accepter.region,
        tags: { Name: name },
      },
      { parent: this },
    );
    const accept = new ec2.VpcPeeringConnectionAccepter(
      `${name}-accept`,
      {
        vpcPeeringConnectionId: connection.id,
        autoAccept: true,
        tags: { Name: name },
      },
      { parent: this, provider: accepter.provider },
    );
    // After the accept: AWS holds a route to a peering pending acceptance as a blackhole.
    const routes = (
      side: PeeringSide,
      suffix: string,
      destination: string,
      provider?: pulumi.ProviderResource,
    ) => {
      side.routeTableIds.forEach((routeTableId, i) => {
        new ec2.Route(
          `${name}-${suffix}-${i}`,
          {
            routeTableId,
            destinationCidrBlock: destination,
            vpcPeeringConnectionId: accept.id,
          },
          { parent: this, dependsOn: [accept], provider },
        );
      });
    };
    routes(requester, "route", accepter.cidrBlock);
    routes(accepter, "peer-route", requester.cidrBlock, accepter.provider);
    this.connectionId = accept.id;
    this.registerOutputs({ connectionId: this.connectionId });
  }
}
