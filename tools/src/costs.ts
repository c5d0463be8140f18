// Monthly cost of a stack's plan, from a dated price table (tools/prices/<date>.json, written by
// `npm run prices` from AWS's Price List). Quantities come from the plan's resources (fleet sizes,
// NAT gateways, load balancers, databases, keys, alarms, health checks), from the stack's database
// size where the plan has none (Aurora bills what a cluster stores), and from named usage
// assumptions for what only traffic decides (data stored and changed, NAT and load balancer
// traffic, Aurora's reads from storage).
import * as fs from "node:fs";
import * as path from "node:path";
import { databaseSchema } from "@aws-dr/model";
import type { Plan, PlannedResource } from "./evaluate";
import { REPO_ROOT } from "./stack-config";

export const PRICES_DIR = path.join(REPO_ROOT, "tools", "prices");
export const HOURS_PER_MONTH = 730;

/** One region's On-Demand prices in USD; a price missing from the table is reported, never guessed. */
export interface RegionPrices {
  ec2Hour?: Record<string, number | undefined>;
  ebsGp3GbMonth?: number;
  rdsHour?: Record<string, { single?: number; multiAz?: number }>;
  rdsGp3GbMonth?: { single?: number; multiAz?: number };
  snapshotGbMonth?: number;
  /**
   * An Aurora PostgreSQL instance's hour by class, in the Aurora Standard storage configuration
   * (the program's: its clusters set no storageType). Aurora has no Multi-AZ price: each instance
   * of a cluster is billed alike.
   */
  auroraHour?: Record<string, number | undefined>;
  /** Aurora Standard cluster storage: a GB-month of what the cluster stores (not an allocation). */
  auroraStorageGbMonth?: number;
  /** Aurora Standard I/O: a million read or write requests to the cluster volume. */
  auroraIoMillion?: number;
  /** Aurora Global Database: a million write I/Os replicated into a secondary cluster in this region. */
  auroraReplicatedWriteMillion?: number;
  /** Aurora backup and snapshot storage beyond the free allowance, a GB-month. */
  auroraBackupGbMonth?: number;
  natGatewayHour?: number;
  /** Data a NAT gateway processes, a GB. */
  natGatewayGb?: number;
  albHour?: number;
  /** One load balancer capacity unit (LCU) for an hour. */
  albLcuHour?: number;
  s3StandardGbMonth?: number;
  /** S3 Replication Time Control, a GB replicated out of this region, by destination region. */
  s3RtcGbTo?: Record<string, number | undefined>;
  kmsKeyMonth?: number;
  /** A standard-resolution CloudWatch metric alarm, a month. */
  alarmMonth?: number;
  /** Data transfer out of this region to another, by destination region. */
  interRegionGb?: Record<string, number | undefined>;
}

export interface PriceTable {
  /** The day the prices were read. */
  date: string;
  /** Where they were read: AWS's Price List, and how. */
  source: string;
  regions: Record<string, RegionPrices>;
  /**
   * Route 53 (global): a health check of an AWS endpoint beyond the free ones, how many of an
   * account's are free (AWS's Price List: the first 50), and each optional feature on one.
   */
  global: {
    healthCheckMonth?: number;
    healthCheckFreeChecks?: number;
    healthCheckFeatureMonth?: number;
  };
}

/** What only traffic decides, assumed and shown with every estimate. */
export interface UsageAssumptions {
  /** Objects in the data bucket (and so in its replica). */
  s3DataGb: number;
  /** Objects written or changed per month: replicated across regions. */
  s3ChangedGbPerMonth: number;
  /**
   * Database changes per month: a replica's replication and backup copies cross regions. On Aurora
   * they are also the writer's write I/Os (in AURORA_WRITE_IO_BYTES units) and the replicated write
   * I/Os of each secondary cluster of a global database.
   */
  dbChangedGbPerMonth: number;
  /** Aurora read I/Os (pages not in the buffer cache) each cluster with instances makes a month, in millions. */
  auroraReadIoMillions: number;
  /** Data each NAT gateway processes per month (package updates, AWS API calls from private subnets). */
  natGbPerMonth: number;
  /** Average load balancer capacity units (LCUs) each load balancer uses, every hour. */
  albLcus: number;
  /** The account's other Route 53 health checks of AWS endpoints: they share the free ones. */
  otherHealthChecks: number;
}

export const DEFAULT_USAGE: UsageAssumptions = {
  s3DataGb: 100,
  s3ChangedGbPerMonth: 10,
  dbChangedGbPerMonth: 10,
  auroraReadIoMillions: 10,
  natGbPerMonth: 10,
  albLcus: 1,
  otherHealthChecks: 0,
};

export interface CostLine {
  item: string;
  region: string;
  quantity: number;
  unit: string;
  /** USD per unit, or undefined where the table has no price: then monthly is 0 and it is listed. */
  price: number | undefined;
  monthly: number;
}

export interface CostEstimate {
  lines: CostLine[];
  total: number;
  /** Items the table has no price for: the total leaves them out. */
  unpriced: string[];
}

/** What a stack's plan does not hold: its database's size, which an Aurora cluster does not allocate. */
export interface StackSize {
  /** dr:database.allocatedStorageGb: Aurora bills what a cluster stores, estimated as this. */
  databaseGb?: number;
}

/**
 * Aurora counts a write I/O for each 4 KB of write-ahead log it makes durable (Aurora FAQ, "What
 * are I/Os in Amazon Aurora and how are they calculated?"): a month's database changes written in
 * full 4 KB units is the fewest write I/Os they can take.
 */
export const AURORA_WRITE_IO_BYTES = 4096;

/** dr:database.allocatedStorageGb when it is not set. */
const DEFAULT_DATABASE_GB: number =
  databaseSchema.shape.allocatedStorageGb.parse(undefined);

const round = (n: number) => Math.round(n * 100) / 100;

/** The newest price table in the directory, or undefined. */
export function newestPriceTable(dir = PRICES_DIR): PriceTable | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const newest = fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .sort()
    .pop();
  return newest
    ? (JSON.parse(
        fs.readFileSync(path.join(dir, newest), "utf8"),
      ) as PriceTable)
    : undefined;
}

/** NAT gateways an awsx VPC makes: none, one, or one per zone. */
function natGateways(vpc: PlannedResource): number {
  const strategy = (vpc.inputs.natGateways as { strategy?: string } | undefined)
    ?.strategy;
  const zones =
    (vpc.inputs.availabilityZoneNames as string[] | undefined)?.length ?? 0;
  return strategy === "OnePerAz" ? zones : strategy === "Single" ? 1 : 0;
}

/**
 * The plan's monthly cost: always-on capacity (each fleet's minSize, NAT gateways, load balancers,
 * databases, keys, alarms, health checks) at On-Demand prices, plus what the usage assumptions
 * decide: storage, transfer, NAT gateway data processing and load balancer capacity units. What
 * scaling adds above minSize and per-request charges are not in it.
 */
export function monthlyCost(
  plan: Plan,
  table: PriceTable,
  usage: UsageAssumptions,
  stack: StackSize = {},
): CostEstimate {
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  const primary = String(plan.outputs.primaryRegion);
  const recovery = String(plan.outputs.recoveryRegion);
  const add = (
    item: string,
    region: string,
    quantity: number,
    unit: string,
    price: number | undefined,
    /** Listed at 0 too (what a free tier covers), so the estimate shows it. */
    keepZero = false,
  ) => {
    if (quantity === 0 && !keepZero) return;
    if (price === undefined && quantity > 0)
      unpriced.push(`${item} (${region})`);
    lines.push({
      item,
      region,
      quantity,
      unit,
      price,
      monthly: round(quantity * (price ?? 0)),
    });
  };
  const prices = (region: string): RegionPrices => table.regions[region] ?? {};
  const of = (type: string) => plan.resources.filter((r) => r.type === type);
  const region = (r: PlannedResource) => String(r.region);

  for (const group of of("aws:autoscaling/group:Group")) {
    const instances = Number(group.inputs.minSize);
    // The group's own launch template: its instance type and root volume.
    const template = plan.resources.find((r) =>
      group.propertyDependencies.launchTemplate?.includes(r.urn),
    );
    const instanceType = String(template?.inputs.instanceType);
    const volumeGb =
      (
        template?.inputs.blockDeviceMappings as
          { ebs: { volumeSize: number } }[] | undefined
      )?.[0]?.ebs.volumeSize ?? 0;
    add(
      `${instanceType} instances (${group.name} minSize)`,
      region(group),
      instances * HOURS_PER_MONTH,
      "instance-hours",
      prices(region(group)).ec2Hour?.[instanceType],
    );
    add(
      `gp3 root volumes (${group.name})`,
      region(group),
      instances * volumeGb,
      "GB-months",
      prices(region(group)).ebsGp3GbMonth,
    );
  }
  for (const vpc of of("awsx:ec2:Vpc")) {
    add(
      `NAT gateways (${vpc.name})`,
      region(vpc),
      natGateways(vpc) * HOURS_PER_MONTH,
      "gateway-hours",
      prices(region(vpc)).natGatewayHour,
    );
    add(
      `NAT gateway data processed (${vpc.name}, ${usage.natGbPerMonth} GB a gateway)`,
      region(vpc),
      natGateways(vpc) * usage.natGbPerMonth,
      "GB",
      prices(region(vpc)).natGatewayGb,
    );
  }
  for (const alb of of("aws:lb/loadBalancer:LoadBalancer")) {
    add(
      `load balancer ${alb.name}`,
      region(alb),
      HOURS_PER_MONTH,
      "hours",
      prices(region(alb)).albHour,
    );
    add(
      `load balancer capacity units (${alb.name}, ${usage.albLcus} LCU on average)`,
      region(alb),
      usage.albLcus * HOURS_PER_MONTH,
      "LCU-hours",
      prices(region(alb)).albLcuHour,
    );
  }
  // A replica's storage follows its source: the primary database's.
  const databaseGb = Number(
    of("aws:rds/instance:Instance").find((d) => d.region === primary)?.inputs
      .allocatedStorage ?? 0,
  );
  for (const db of of("aws:rds/instance:Instance")) {
    const deployment = db.inputs.multiAz ? "multiAz" : "single";
    const instanceClass = String(db.inputs.instanceClass);
    const storage = Number(db.inputs.allocatedStorage ?? databaseGb);
    add(
      `${instanceClass} ${deployment === "multiAz" ? "Multi-AZ" : "Single-AZ"} (${db.name})`,
      region(db),
      HOURS_PER_MONTH,
      "hours",
      prices(region(db)).rdsHour?.[instanceClass]?.[deployment],
    );
    add(
      `database storage (${db.name})`,
      region(db),
      storage,
      "GB-months",
      prices(region(db)).rdsGp3GbMonth?.[deployment],
    );
    if (db.inputs.replicateSourceDb)
      add(
        `replication into ${db.name}`,
        primary,
        usage.dbChangedGbPerMonth,
        "GB",
        prices(primary).interRegionGb?.[recovery],
      );
  }
  // Aurora (dr:database.engine=aurora-postgresql): a cluster per site, the global database's
  // secondary at the replica tiers, headless (no instances) at pilot-light. The writer is the
  // primary region's cluster, the recovery region's once failed over.
  const clusters = of("aws:rds/cluster:Cluster");
  const writerRegion = plan.failover === true ? recovery : primary;
  const storedGb = stack.databaseGb ?? DEFAULT_DATABASE_GB;
  const storedFrom =
    stack.databaseGb === undefined
      ? "dr:database.allocatedStorageGb's default, the stack's not given"
      : "dr:database.allocatedStorageGb";
  const writeIoMillions =
    (usage.dbChangedGbPerMonth * 2 ** 30) / AURORA_WRITE_IO_BYTES / 1e6;
  const writes = `${round(writeIoMillions)} million: ${usage.dbChangedGbPerMonth} GB of changes in ${AURORA_WRITE_IO_BYTES / 1024} KB write I/Os`;
  const clusterOf = (instance: PlannedResource) =>
    clusters.find((c) =>
      instance.propertyDependencies.clusterIdentifier?.includes(c.urn),
    );
  // Aurora Standard only: another storage configuration (aurora-iopt1, I/O-Optimized) has other
  // prices, which the table does not hold, so it is listed unpriced rather than priced as Standard.
  const standard = (cluster: PlannedResource | undefined) =>
    cluster?.inputs.storageType === undefined ||
    cluster.inputs.storageType === "aurora";
  const instances = of("aws:rds/clusterInstance:ClusterInstance");
  for (const instance of instances) {
    const instanceClass = String(instance.inputs.instanceClass);
    add(
      `${instanceClass} Aurora instance (${instance.name})`,
      region(instance),
      HOURS_PER_MONTH,
      "hours",
      standard(clusterOf(instance))
        ? prices(region(instance)).auroraHour?.[instanceClass]
        : undefined,
    );
  }
  for (const cluster of clusters) {
    const at = region(cluster);
    const p = prices(at);
    const secondary =
      cluster.inputs.globalClusterIdentifier !== undefined &&
      at !== writerRegion;
    const priced = <T>(price: T) => (standard(cluster) ? price : undefined);
    add(
      `Aurora storage (${cluster.name}, billed on what it stores: ${storedGb} GB assumed, ${storedFrom})`,
      at,
      storedGb,
      "GB-months",
      priced(p.auroraStorageGbMonth),
    );
    if (at === writerRegion)
      add(
        `Aurora write I/O (${cluster.name}, ${writes})`,
        at,
        writeIoMillions,
        "million requests",
        priced(p.auroraIoMillion),
      );
    if (instances.some((i) => clusterOf(i) === cluster))
      add(
        `Aurora read I/O (${cluster.name}, ${usage.auroraReadIoMillions} million reads from storage assumed)`,
        at,
        usage.auroraReadIoMillions,
        "million requests",
        priced(p.auroraIoMillion),
      );
    if (secondary) {
      // A global database's secondary writes what the writer writes, billed in its own region as
      // replicated write I/Os, headless or not; the redo log crosses regions as data transfer.
      add(
        `Aurora replicated writes into ${cluster.name} (the writer's ${writes})`,
        at,
        writeIoMillions,
        "million write I/Os",
        p.auroraReplicatedWriteMillion,
      );
      add(
        `replication into ${cluster.name}`,
        writerRegion,
        usage.dbChangedGbPerMonth,
        "GB",
        prices(writerRegion).interRegionGb?.[at],
      );
    }
  }
  // On Aurora the vaults hold cluster snapshots: Aurora's backup storage price, not RDS's.
  const onAurora = clusters.length > 0;
  for (const vault of of("aws:backup/vault:Vault"))
    add(
      `backups in ${vault.name} (one full copy of the database)`,
      region(vault),
      onAurora ? storedGb : databaseGb,
      "GB-months",
      onAurora
        ? prices(region(vault)).auroraBackupGbMonth
        : prices(region(vault)).snapshotGbMonth,
    );
  // The air-gapped vaults bill their storage too; no Price List query reads that price yet, so
  // they are listed unpriced rather than left out.
  for (const vault of of(
    "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
  ))
    add(
      `isolated copies in ${vault.name} (one full copy of the database)`,
      region(vault),
      onAurora ? storedGb : databaseGb,
      "GB-months",
      undefined,
    );
  if (
    of("aws:backup/plan:Plan").some((p) =>
      JSON.stringify(p.inputs.rules).includes("copyActions"),
    )
  )
    add(
      "backup copies to the recovery region",
      primary,
      usage.dbChangedGbPerMonth,
      "GB",
      prices(primary).interRegionGb?.[recovery],
    );
  for (const bucket of of("aws:s3/bucket:Bucket").filter((b) =>
    b.parent?.includes("SecureBucket"),
  ))
    add(
      `S3 ${bucket.name}`,
      region(bucket),
      usage.s3DataGb,
      "GB-months",
      prices(region(bucket)).s3StandardGbMonth,
    );
  if (of("aws:s3/bucketReplicationConfig:BucketReplicationConfig").length > 0) {
    add(
      "S3 Replication Time Control",
      primary,
      usage.s3ChangedGbPerMonth,
      "GB",
      prices(primary).s3RtcGbTo?.[recovery],
    );
    add(
      "S3 replication transfer",
      primary,
      usage.s3ChangedGbPerMonth,
      "GB",
      prices(primary).interRegionGb?.[recovery],
    );
  }
  // Active-active: the recovery site's writes cross to the primary's database and back.
  if (of("aws:ec2/vpcPeeringConnection:VpcPeeringConnection").length > 0)
    add(
      "recovery site writes over VPC peering",
      recovery,
      usage.dbChangedGbPerMonth,
      "GB",
      prices(recovery).interRegionGb?.[primary],
    );
  const keysByRegion = new Map<string, number>();
  for (const key of [
    ...of("aws:kms/key:Key"),
    ...of("aws:kms/replicaKey:ReplicaKey"),
  ])
    keysByRegion.set(region(key), (keysByRegion.get(region(key)) ?? 0) + 1);
  for (const [keyRegion, count] of keysByRegion)
    add(
      "KMS keys",
      keyRegion,
      count,
      "key-months",
      prices(keyRegion).kmsKeyMonth,
    );
  // Standard resolution (every alarm the program makes has a period of 60 s or more). CloudWatch's
  // free tier (10 alarms an account) is not taken off: the account's other alarms are assumed to
  // use it.
  const alarmsByRegion = new Map<string, number>();
  for (const alarm of of("aws:cloudwatch/metricAlarm:MetricAlarm"))
    alarmsByRegion.set(
      region(alarm),
      (alarmsByRegion.get(region(alarm)) ?? 0) + 1,
    );
  for (const [alarmRegion, count] of alarmsByRegion)
    add(
      "CloudWatch alarms",
      alarmRegion,
      count,
      "alarm-months",
      prices(alarmRegion).alarmMonth,
    );
  // An account's first health checks of AWS endpoints are free (50 in AWS's Price List), shared
  // with its other checks (an assumption): only the stack's checks beyond them are charged.
  const checks = of("aws:route53/healthCheck:HealthCheck");
  const free = table.global.healthCheckFreeChecks ?? 0;
  const charged = (n: number) => Math.max(0, n - free);
  add(
    free > 0
      ? `Route 53 health checks (${checks.length}; an account's first ${free} free, ${usage.otherHealthChecks} others assumed)`
      : "Route 53 health checks",
    "global",
    charged(usage.otherHealthChecks + checks.length) -
      charged(usage.otherHealthChecks),
    "check-months",
    table.global.healthCheckMonth,
    checks.length > 0,
  );
  const features = checks.reduce(
    (n, c) =>
      n +
      (c.inputs.type === "HTTPS" ? 1 : 0) +
      (c.inputs.requestInterval === 10 ? 1 : 0),
    0,
  );
  add(
    "health check features (HTTPS, 10 s interval)",
    "global",
    features,
    "feature-months",
    table.global.healthCheckFeatureMonth,
  );

  return {
    lines,
    total: round(lines.reduce((sum, l) => sum + l.monthly, 0)),
    unpriced,
  };
}
