// `plan --mermaid`: a stack's plan as a Mermaid flowchart. Built from the plan itself (resources,
// regions, and the property dependencies that say which resource feeds which), so the picture is
// the program's, not a second description of it.
import type { Plan, PlannedResource } from "./evaluate";

const SITE = "aws-dr:stacks:Site";
const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

/** A Mermaid node id from a resource name. */
const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_");
/** Mermaid label text: no quotes or brackets of its own. */
const text = (s: string) => s.replace(/["[\]{}()]/g, "");

export function renderMermaid(plan: Plan): string {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const of = (type: string) => plan.resources.filter((r) => r.type === type);
  const deps = (r: PlannedResource, input: string) =>
    (r.propertyDependencies[input] ?? [])
      .map((urn) => byUrn.get(urn))
      .filter((d): d is PlannedResource => d !== undefined);
  /** The Site a resource belongs to, through its parents. */
  const siteOf = (r: PlannedResource): PlannedResource | undefined => {
    let current: PlannedResource | undefined = r;
    while (current && current.type !== SITE)
      current = current.parent ? byUrn.get(current.parent) : undefined;
    return current;
  };

  const primaryRegion = String(plan.outputs.primaryRegion);
  const recoveryRegion = String(plan.outputs.recoveryRegion);
  const nodes = new Map<string, string[]>([
    [primaryRegion, []],
    [recoveryRegion, []],
  ]);
  const edges: string[] = [];
  const shown = new Set<string>();
  const node = (r: PlannedResource, shape: string) => {
    shown.add(r.urn);
    nodes.get(String(r.region))?.push(`    ${id(r.name)}${shape}`);
  };

  for (const alb of of("aws:lb/loadBalancer:LoadBalancer"))
    node(alb, `["ALB ${text(alb.name)}"]`);
  for (const group of of("aws:autoscaling/group:Group")) {
    const { minSize, maxSize } = group.inputs as {
      minSize: number;
      maxSize: number;
    };
    node(group, `["fleet ${minSize}..${maxSize} instances"]`);
  }
  for (const db of of(INSTANCE)) {
    const inputs = db.inputs as Record<string, unknown>;
    const role = inputs.replicateSourceDb
      ? "read replica"
      : inputs.snapshotIdentifier
        ? "restored from backup"
        : "PostgreSQL";
    const multiAz = inputs.multiAz ? ", Multi-AZ" : "";
    node(
      db,
      `[("${text(db.name)}<br/>${role}, ${String(inputs.instanceClass)}${multiAz}")]`,
    );
    for (const source of deps(db, "replicateSourceDb"))
      edges.push(`  ${id(source.name)} -. "replication" .-> ${id(db.name)}`);
  }
  // Aurora: a cluster per site, with its instances (none: a headless secondary). In a global
  // database the writer is the primary region's, or the recovery region's once failed over (the
  // members' inputs stay as they were: AWS moves the writer).
  const writerRegion = plan.failover ? recoveryRegion : primaryRegion;
  const clusters = of(CLUSTER);
  const inGlobal = (c: PlannedResource) =>
    c.inputs.globalClusterIdentifier !== undefined;
  for (const cluster of clusters) {
    const instances = of(CLUSTER_INSTANCE).filter((i) =>
      deps(i, "clusterIdentifier").includes(cluster),
    );
    const role = cluster.inputs.snapshotIdentifier
      ? "Aurora, restored from backup"
      : !inGlobal(cluster)
        ? "Aurora PostgreSQL"
        : cluster.region === writerRegion
          ? "Aurora writer"
          : "Aurora secondary";
    const size =
      instances.length === 0
        ? "headless"
        : `${instances.length} x ${String(instances[0].inputs.instanceClass)}`;
    node(cluster, `[("${text(cluster.name)}<br/>${role}, ${size}")]`);
  }
  const writer = clusters.find((c) => inGlobal(c) && c.region === writerRegion);
  for (const secondary of clusters.filter((c) => inGlobal(c) && c !== writer))
    if (writer)
      edges.push(
        `  ${id(writer.name)} -. "Aurora global database" .-> ${id(secondary.name)}`,
      );
  for (const site of of(SITE)) {
    const members = plan.resources.filter((r) => siteOf(r) === site);
    const alb = members.find(
      (r) => r.type === "aws:lb/loadBalancer:LoadBalancer",
    );
    const group = members.find((r) => r.type === "aws:autoscaling/group:Group");
    const db = members.find((r) => r.type === INSTANCE || r.type === CLUSTER);
    if (alb && group) edges.push(`  ${id(alb.name)} --> ${id(group.name)}`);
    if (group && db) edges.push(`  ${id(group.name)} --> ${id(db.name)}`);
  }
  // Data buckets (SecureBucket), not log buckets, nor the audit reports' bucket.
  const secureBucket = (b: PlannedResource) => {
    const parent = b.parent ? byUrn.get(b.parent) : undefined;
    return (
      parent?.type === "aws-dr:storage:SecureBucket" &&
      !(
        parent.parent &&
        byUrn.get(parent.parent)?.type === "aws-dr:storage:BackupAudit"
      )
    );
  };
  for (const bucket of of("aws:s3/bucket:Bucket").filter(secureBucket))
    node(bucket, `[("S3 ${text(bucket.name)}")]`);
  for (const replication of of(
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  )) {
    const [source] = deps(replication, "bucket");
    const target = deps(replication, "rules").find(
      (d) => d.type === "aws:s3/bucket:Bucket",
    );
    if (source && target)
      edges.push(
        `  ${id(source.name)} -. "S3 replication, RTC 15 min" .-> ${id(target.name)}`,
      );
  }
  const vaults = of("aws:backup/vault:Vault");
  for (const vault of vaults)
    node(vault, `[("backup vault ${text(vault.name)}")]`);
  const isolated = of(
    "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
  );
  for (const vault of isolated)
    node(vault, `[("air-gapped vault ${text(vault.name)}")]`);
  const named = (list: PlannedResource[]) => (name: unknown) =>
    list.find(
      (v) =>
        typeof name === "string" &&
        (name === v.name || name.endsWith(`:${v.name}`)),
    );
  const vaultNamed = named(vaults);
  const isolatedNamed = named(isolated);
  for (const backupPlan of of("aws:backup/plan:Plan")) {
    const [rule] = backupPlan.inputs.rules as {
      targetVaultName: string;
      copyActions?: { destinationVaultArn: string }[];
    }[];
    const target = vaultNamed(rule.targetVaultName);
    const copy = vaultNamed(rule.copyActions?.[0]?.destinationVaultArn);
    if (target && copy)
      edges.push(`  ${id(target.name)} -. "backup copy" .-> ${id(copy.name)}`);
    const isolatedCopy = (rule.copyActions ?? [])
      .map((c) => isolatedNamed(c.destinationVaultArn))
      .find(Boolean);
    if (target && isolatedCopy)
      edges.push(
        `  ${id(target.name)} -. "isolated copy" .-> ${id(isolatedCopy.name)}`,
      );
    for (const selection of of("aws:backup/selection:Selection").filter((s) =>
      deps(s, "planId").includes(backupPlan),
    ))
      for (const protectedResource of deps(selection, "resources"))
        if (target && shown.has(protectedResource.urn))
          edges.push(
            `  ${id(protectedResource.name)} -- "AWS Backup" --> ${id(target.name)}`,
          );
  }
  for (const table of of("aws:dynamodb/table:Table")) {
    node(table, `[("DynamoDB ${text(table.name)}<br/>global table")]`);
    const replicas =
      (table.inputs.replicas as { regionName: string }[] | undefined) ?? [];
    for (const replica of replicas) {
      nodes
        .get(replica.regionName)
        ?.push(
          `    ${id(table.name)}_replica[("DynamoDB ${text(table.name)} replica")]`,
        );
      edges.push(
        `  ${id(table.name)} -. "replicated both ways" .- ${id(table.name)}_replica`,
      );
    }
  }
  if (of("aws:ec2/vpcPeeringConnection:VpcPeeringConnection").length > 0) {
    const recoveryFleet = of("aws:autoscaling/group:Group").find(
      (g) => g.region === recoveryRegion,
    );
    // Aurora: only while the writer is the primary region's.
    const primaryDb = clusters.length
      ? writer?.region === primaryRegion
        ? writer
        : undefined
      : of(INSTANCE).find((d) => d.region === primaryRegion);
    if (recoveryFleet && primaryDb)
      edges.push(
        `  ${id(recoveryFleet.name)} -- "writes over VPC peering" --> ${id(primaryDb.name)}`,
      );
  }

  const records = of("aws:route53/record:Record");
  const dnsLines: string[] = [];
  if (records.length > 0) {
    dnsLines.push(`  dns(["${text(String(records[0].inputs.name))}"])`);
    for (const record of records) {
      const [alb] = deps(record, "aliases");
      const weight = (
        record.inputs.weightedRoutingPolicies as { weight: number }[]
      )[0].weight;
      const checked = record.inputs.healthCheckId ? ", health-checked" : "";
      if (alb)
        edges.push(`  dns -- "weight ${weight}${checked}" --> ${id(alb.name)}`);
    }
  }

  const region = (name: string, label: string) => [
    `  subgraph ${name}["${label}"]`,
    ...(nodes.get(name === "primary" ? primaryRegion : recoveryRegion) ?? []),
    "  end",
  ];
  const failover = plan.failover ? "failed over" : "normal";
  return [
    "---",
    `title: ${plan.stack} - ${String(plan.tier)}, ${failover}`,
    "---",
    "flowchart LR",
    ...dnsLines,
    ...region("primary", `primary region ${primaryRegion}`),
    ...region("recovery", `recovery region ${recoveryRegion}`),
    ...edges,
  ].join("\n");
}
