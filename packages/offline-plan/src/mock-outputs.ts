// Deterministic outputs for the mock runtime: ids and ARNs built from type, name and region, and
// the outputs our code reads from remote components and data sources.

export const ACCOUNT_ID = "123456789012";

/** The AWS service an ARN names, from a Pulumi type token such as aws:s3/bucket:Bucket. */
function service(type: string): string {
  const module = type.split(":")[1]?.split("/")[0] ?? "unknown";
  return module === "lb" ? "elasticloadbalancing" : module;
}

export function mockArn(type: string, name: string, region: string): string {
  const svc = service(type);
  if (svc === "s3") return `arn:aws:s3:::${name}`;
  if (svc === "iam") return `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
  if (type === "aws:rds/cluster:Cluster")
    return `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster:${name}`;
  if (type === "aws:rds/globalCluster:GlobalCluster")
    return `arn:aws:rds::${ACCOUNT_ID}:global-cluster:${name}`;
  if (svc === "rds") return `arn:aws:rds:${region}:${ACCOUNT_ID}:db:${name}`;
  if (type === "aws:cloudwatch/logGroup:LogGroup")
    return `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${name}`;
  if (svc === "lambda")
    return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
  if (svc === "backup")
    return `arn:aws:backup:${region}:${ACCOUNT_ID}:backup-vault:${name}`;
  return `arn:aws:${svc}:${region}:${ACCOUNT_ID}:${type.split(":")[2]?.toLowerCase() ?? "resource"}/${name}`;
}

/** Outputs AWS computes that our code reads, per resource type. */
export function computedOutputs(
  type: string,
  name: string,
  region: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  switch (type) {
    case "awsx:ec2:Vpc": {
      const azs =
        (inputs.availabilityZoneNames as string[] | undefined)?.length ?? 0;
      const zones =
        (inputs.availabilityZoneNames as string[] | undefined) ?? [];
      const specs =
        (inputs.subnetSpecs as
          | { name?: string; type?: string; cidrBlocks?: string[] }[]
          | undefined) ?? [];
      // A subnet's id stands for the subnet itself: it changes when the subnet is replaced (its
      // zone or its block), so what sits in it (a subnet group, a load balancer, a fleet) shows
      // the change in a diff, as a real run's new subnet ids would.
      const subnetId = (kind: string, i: number) => {
        const block = specs.find(
          (s) => (s.name ?? s.type?.toLowerCase()) === kind,
        )?.cidrBlocks?.[i];
        return [
          `subnet-${name}-${kind}-${i}`,
          zones[i],
          block?.replace("/", "_"),
        ]
          .filter(Boolean)
          .join("-");
      };
      const subnets = (kind: string) =>
        Array.from({ length: azs }, (_, i) => subnetId(kind, i));
      // As awsx builds them: zone by zone, a route table per subnet. Real runs return resource
      // references (RouteTableAssociation) whose fields are outputs; these plain values stand in.
      const all = Array.from({ length: azs }, (_, i) =>
        ["public", "private", "isolated"].map((kind) => [kind, i] as const),
      ).flat();
      return {
        vpcId: `vpc-${name}`,
        publicSubnetIds: subnets("public"),
        privateSubnetIds: subnets("private"),
        isolatedSubnetIds: subnets("isolated"),
        routeTableAssociations: all.map(([kind, i]) => ({
          subnetId: subnetId(kind, i),
          routeTableId: `rtb-${name}-${kind}-${i}`,
        })),
        // NatGateway references as plain values too, as many as the strategy makes.
        natGateways: Array.from(
          {
            length:
              { None: 0, Single: 1, OnePerAz: azs }[
                String(
                  (inputs.natGateways as { strategy?: string } | undefined)
                    ?.strategy,
                )
              ] ?? 0,
          },
          (_, i) => ({ id: `nat-${name}-${i}` }),
        ),
      };
    }
    case "aws:lb/loadBalancer:LoadBalancer":
      return {
        dnsName: `${name}.${region}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    case "aws:rds/instance:Instance":
      return {
        address: `${name}.${region}.rds.amazonaws.com`,
        identifier: name,
      };
    case "aws:rds/cluster:Cluster":
      return {
        endpoint: `${name}.cluster-mock.${region}.rds.amazonaws.com`,
        readerEndpoint: `${name}.cluster-ro-mock.${region}.rds.amazonaws.com`,
        clusterIdentifier: inputs.clusterIdentifier ?? name,
        clusterResourceId: `cluster-${name}`,
      };
    case "aws:rds/globalCluster:GlobalCluster":
      return {
        endpoint: `${name}.global-mock.global.rds.amazonaws.com`,
        globalClusterIdentifier: inputs.globalClusterIdentifier ?? name,
      };
    case "aws:route53/record:Record":
      return { fqdn: inputs.name };
    case "aws:s3/bucket:Bucket":
      return { bucket: name };
    case "random:index/randomPassword:RandomPassword":
      return { result: "mock-password-0123456789" };
    default:
      return {};
  }
}

/** A backup copy as rds.getSnapshots reports it. */
function snapshot(region: string, id: string, status: string, created: string) {
  return {
    dbSnapshotIdentifier: id,
    dbSnapshotArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:snapshot:${id}`,
    status,
    originalSnapshotCreateTime: created,
    // When the copy finished: the oldest data was copied last.
    snapshotCreateTime: id.endsWith("older") ? "2026-11-25T06:00:00Z" : created,
  };
}

/**
 * Results of the data sources the program calls: the account, the standby replica (found), and
 * the recovery phase's snapshot lookup, where the newest copy is still being copied (so only a
 * status-aware pick is right).
 */
export function callResult(
  token: string,
  region: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  switch (token) {
    // The instance asked for exists: a standby replica is there to promote.
    case "aws:rds/getInstances:getInstances":
      return {
        instanceIdentifiers:
          (inputs.filters as { values: string[] }[] | undefined)?.flatMap(
            (f) => f.values,
          ) ?? [],
      };
    // The plan's Route 53 health checks, one per region (those the tests and shipped stacks use).
    case "aws:arcregionswitch/getRoute53HealthChecks:getRoute53HealthChecks":
      return {
        healthChecks: [
          "us-east-1",
          "us-west-2",
          "eu-west-1",
          "eu-central-1",
        ].map((r) => ({
          healthCheckId: `arc-health-${r}`,
          region: r,
          hostedZoneId: "Z0123",
          recordName: "app",
          status: "healthy",
        })),
      };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: ACCOUNT_ID,
        arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
        userId: ACCOUNT_ID,
      };
    // A global database whose writer is the cluster of the region asked: the one the config says
    // writes (the program asks the region that should hold the writer).
    case "aws:rds/getGlobalCluster:getGlobalCluster":
      return {
        members: [
          {
            dbClusterArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster:${String(inputs.identifier)}-member`,
            isWriter: true,
          },
        ],
      };
    // The newest AWS Backup copy of a cluster, finished.
    case "aws:rds/getClusterSnapshot:getClusterSnapshot":
      return {
        dbClusterSnapshotArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster-snapshot:awsbackup-copy-${region}-newest`,
        status: "available",
      };
    case "aws:rds/getSnapshots:getSnapshots":
      return {
        snapshots: [
          snapshot(
            region,
            `awsbackup-copy-${region}-older`,
            "available",
            "2026-11-24T05:00:00Z",
          ),
          snapshot(
            region,
            `awsbackup-copy-${region}-copying`,
            "creating",
            "2026-11-25T05:00:00Z",
          ),
          snapshot(
            region,
            `awsbackup-copy-${region}-newest-finished`,
            "available",
            "2026-11-25T04:00:00Z",
          ),
        ],
      };
    default:
      return {};
  }
}
