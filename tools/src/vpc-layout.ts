// awsx's VPC as the resources it creates, for the diff. Offline, awsx:ec2:Vpc is one node (a
// remote component: its children are made by the awsx provider, which the mock runtime does not
// run), so a zone reorder or a CIDR change would plan as one changed input. Real runs create, from
// the explicit blocks the program gives it, what awsx v3's Vpc.createInnerVpc makes: the VPC, an
// internet gateway, per zone and subnet spec a subnet, its route table, their association and its
// default route, and per zone (OnePerAz) or once (Single) an Elastic IP and a NAT gateway in the
// public subnet, named as awsx names them. Each input that makes the provider replace it is one
// of these resources' own inputs here, so the diff finds the replacements.
import type { PlannedResource } from "./evaluate";

export const AWSX_VPC = "awsx:ec2:Vpc";

interface SubnetSpec {
  name?: string;
  type: "Public" | "Private" | "Isolated";
  cidrBlocks?: string[];
}

interface VpcInputs {
  cidrBlock?: string;
  availabilityZoneNames?: string[];
  enableDnsHostnames?: boolean;
  natGateways?: { strategy?: "None" | "Single" | "OnePerAz" };
  subnetSpecs?: SubnetSpec[];
}

/** Public first, then private, then isolated: awsx's order within a zone (compareSubnetSpecs). */
const TYPE_ORDER = { Public: 0, Private: 1, Isolated: 2 };

/** What one awsx VPC creates: its children, and which are subnets under the databases. */
interface VpcChildren {
  resources: PlannedResource[];
  /** URNs of the isolated specs' subnets: where the databases' subnet groups are. */
  dataSubnets: string[];
}

/** The resources one awsx VPC creates, from its inputs (none where they are not explicit). */
export function vpcChildren(vpc: PlannedResource): VpcChildren {
  const inputs = vpc.inputs as VpcInputs;
  const zones = inputs.availabilityZoneNames;
  const specs = inputs.subnetSpecs;
  if (!zones || !specs) return { resources: [], dataSubnets: [] };
  const name = vpc.name;
  const strategy = inputs.natGateways?.strategy ?? "None";
  const prefix = vpc.urn.slice(0, vpc.urn.lastIndexOf("::"));
  const chain = (...types: string[]) => `${prefix}$${types.join("$")}`;
  const child = (
    types: string[],
    childName: string,
    childInputs: Record<string, unknown>,
  ): PlannedResource => ({
    ...vpc,
    urn: `${chain(...types)}::${childName}`,
    type: types[types.length - 1],
    name: childName,
    inputs: childInputs,
    // The children's options are awsx's own: none of the program's reach them.
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    dependsOn: [],
    propertyDependencies: {},
    aliases: [],
  });
  const VPC = "aws:ec2/vpc:Vpc";
  const SUBNET = "aws:ec2/subnet:Subnet";
  const TABLE = "aws:ec2/routeTable:RouteTable";
  const resources = [
    child([VPC], name, {
      cidrBlock: inputs.cidrBlock,
      enableDnsHostnames: inputs.enableDnsHostnames,
    }),
    child([VPC, "aws:ec2/internetGateway:InternetGateway"], name, {}),
  ];
  const natGateways: string[] = [];
  const dataSubnets: string[] = [];
  zones.forEach((zone, i) => {
    [...specs]
      .sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type])
      .forEach((spec) => {
        const subnetName = `${name}-${spec.name ?? spec.type.toLowerCase()}-${i + 1}`;
        const cidrBlock = spec.cidrBlocks?.[i];
        // Stands in for the subnet's id in its children: a new subnet is a new id.
        const subnetId = `${subnetName} (${zone} ${String(cidrBlock)})`;
        const subnet = child([VPC, SUBNET], subnetName, {
          availabilityZone: zone,
          cidrBlock,
          mapPublicIpOnLaunch: spec.type === "Public",
        });
        if (spec.type === "Isolated") dataSubnets.push(subnet.urn);
        resources.push(
          subnet,
          child([VPC, SUBNET, TABLE], subnetName, {}),
          child(
            [
              VPC,
              SUBNET,
              TABLE,
              "aws:ec2/routeTableAssociation:RouteTableAssociation",
            ],
            subnetName,
            { subnetId },
          ),
        );
        const nat =
          spec.type === "Public" &&
          (strategy === "OnePerAz" ||
            (strategy === "Single" && natGateways.length === 0));
        if (nat) {
          natGateways.push(`${name}-${i + 1}`);
          resources.push(
            child([VPC, SUBNET, "aws:ec2/eip:Eip"], `${name}-${i + 1}`, {}),
            child(
              [VPC, SUBNET, "aws:ec2/natGateway:NatGateway"],
              `${name}-${i + 1}`,
              { subnetId },
            ),
          );
        }
        const target =
          spec.type === "Public"
            ? { gatewayId: name }
            : spec.type === "Private" && strategy !== "None"
              ? {
                  natGatewayId:
                    strategy === "Single" ? natGateways[0] : natGateways[i],
                }
              : undefined;
        if (target)
          resources.push(
            child([VPC, SUBNET, TABLE, "aws:ec2/route:Route"], subnetName, {
              destinationCidrBlock: "0.0.0.0/0",
              ...target,
            }),
          );
      });
  });
  return { resources, dataSubnets };
}

/** A plan's resources with each awsx VPC's children beside it, and the subnets under data. */
export function withVpcChildren(resources: PlannedResource[]): VpcChildren {
  const children = resources
    .filter((r) => r.type === AWSX_VPC)
    .map(vpcChildren);
  return {
    resources: [...resources, ...children.flatMap((c) => c.resources)],
    dataSubnets: children.flatMap((c) => c.dataSubnets),
  };
}
