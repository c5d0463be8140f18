// `npm run prices`: reads the On-Demand prices `assess` needs from AWS's Price List Query API (the
// AWS CLI's `aws pricing get-products`, with your credentials) for the regions, instance types and
// database classes of the shipped stacks, and writes them, dated, to tools/prices/<date>.json.
// Commit the file: assess then prices every tier from it, and prints its date and source.
// Exit 0 with the file written; 2 for a bad command line, no AWS CLI or no usable credentials (one
// line on stderr, nothing written); 1 when the Price List answers with another error.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PRICES_DIR, type PriceTable, type RegionPrices } from "./costs";
import { parseCommandLine, type CliResult } from "./args";
import { readStackFile, stackNames, UsageError } from "./stack-config";
import { TIER_PROFILES } from "@aws-dr/stacks/profiles";
import { SMALLEST_GLOBAL_CLASS } from "@aws-dr/model";

export const PRICES_USAGE = `usage: npm run prices [-- --out-dir <dir>]
  Reads the On-Demand prices assess needs from AWS's Price List Query API (aws pricing get-products,
  with your AWS credentials) for the regions, instance types and database classes of the shipped
  stacks, and writes them to tools/prices/<date>.json. Commit the file.
  --out-dir <dir>  write the table there instead of tools/prices
  -h, --help       print this and exit
Exit 0 written; 2 bad command line, no AWS CLI or no AWS credentials (nothing written); 1 another Price List error.`;

/** One product of a GetProducts answer (each PriceList entry is this, as a JSON string). */
export interface PriceListProduct {
  product: { attributes: Record<string, string> };
  terms: {
    OnDemand?: Record<
      string,
      {
        priceDimensions: Record<
          string,
          {
            unit: string;
            beginRange?: string;
            endRange?: string;
            pricePerUnit: { USD?: string };
          }
        >;
      }
    >;
  };
}

/** TERM_MATCH filters of one GetProducts request: attribute name to its exact value. */
export type Filters = Record<string, string>;

/**
 * One price to read: a service's products narrowed by TERM_MATCH filters (server side), then by
 * usage type (here): exactly `usageType` after the region prefix AWS puts on it (none in
 * us-east-1, `USW2-`, `EU-`, `us-west-2-` for KMS, or a pair such as `USE1-USW2-` for transfer
 * between regions). So `RDS:ChargedBackupUsage` never takes Aurora's `Aurora:BackupUsage` or RDS
 * Custom's `RDSCustom:ChargedBackupUsage`, nor `LoadBalancerUsage` the `TS-` or Outposts ones.
 */
export interface PriceQuery {
  service: string;
  filters: Filters;
  usageType?: string;
}

const REGION_PREFIX = String.raw`(?:[A-Z]{3}\d|EU|[a-z]{2}(?:-[a-z]+)+-\d)-`;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether a product's usagetype is exactly `name` after at most two region prefixes. */
export function usageTypeIs(usagetype: string, name: string): boolean {
  return new RegExp(`^(?:${REGION_PREFIX}){0,2}${escapeRegExp(name)}$`).test(
    usagetype,
  );
}

/** The On-Demand price tiers of the products a query's usage type selects, lowest first. */
function tiers(
  products: PriceListProduct[],
  usageType?: string,
): { begin: number; end: number; usd: number }[][] {
  return products
    .filter(
      (p) =>
        usageType === undefined ||
        usageTypeIs(p.product.attributes.usagetype ?? "", usageType),
    )
    .flatMap((p) => Object.values(p.terms.OnDemand ?? {}))
    .map((term) =>
      Object.values(term.priceDimensions)
        .filter((d) => d.pricePerUnit.USD !== undefined)
        .map((d) => ({
          begin: Number(d.beginRange ?? "0"),
          end: d.endRange === "Inf" ? Infinity : Number(d.endRange ?? "Inf"),
          usd: Number(d.pricePerUnit.USD),
        }))
        .sort((a, b) => a.begin - b.begin),
    )
    .filter((t) => t.length > 0);
}

/**
 * The On-Demand USD price of the first (lowest) tier of the products whose usage type is the given
 * one (exactly, after the region prefix; any when none is given), when exactly one price remains;
 * undefined otherwise (ambiguous or absent: never a guess).
 */
export function onDemandPrice(
  products: PriceListProduct[],
  usageType?: string,
): number | undefined {
  const prices = new Set(
    tiers(products, usageType)
      .filter((t) => t[0].begin === 0)
      .map((t) => t[0].usd),
  );
  return prices.size === 1 ? [...prices][0] : undefined;
}

/**
 * A price per I/O request (the Price List's unit "IOs"), as USD per million requests; undefined
 * when the answer is ambiguous or absent, or priced in another unit (never a guess).
 */
export function perMillionIos(
  products: PriceListProduct[],
  usageType?: string,
): number | undefined {
  const selected = products.filter(
    (p) =>
      usageType === undefined ||
      usageTypeIs(p.product.attributes.usagetype ?? "", usageType),
  );
  const units = new Set(
    selected
      .flatMap((p) => Object.values(p.terms.OnDemand ?? {}))
      .flatMap((t) => Object.values(t.priceDimensions).map((d) => d.unit)),
  );
  if (units.size !== 1 || !/^IOs?$/i.test([...units][0])) return undefined;
  const price = onDemandPrice(selected, usageType);
  // 12 significant digits: 0.0000002 x 1e6 is 0.19999999999999998 in floating point.
  return price === undefined
    ? undefined
    : Number((price * 1e6).toPrecision(12));
}

/**
 * A price with a free first tier (Route 53's first 50 health checks of AWS endpoints): the price
 * after it and how many units it covers (0 without one), when one product answers; else undefined.
 */
export function paidTierPrice(
  products: PriceListProduct[],
  usageType?: string,
): { price: number; freeUnits: number } | undefined {
  const found = tiers(products, usageType);
  const answers = new Set(found.map((t) => JSON.stringify(t)));
  if (answers.size !== 1) return undefined;
  const [first, second] = found[0];
  if (first.usd === 0 && second)
    return { price: second.usd, freeUnits: first.end };
  return first.usd === 0 ? undefined : { price: first.usd, freeUnits: 0 };
}

// The filter builders: what is asked of the Price List for each price the table holds. Attribute
// names and values as AWS's Price List Query API has them (`aws pricing describe-services` and
// `get-attribute-values` list them per service).

/** A Linux, shared-tenancy On-Demand instance hour. */
export const instanceQuery = (region: string, type: string): PriceQuery => ({
  service: "AmazonEC2",
  filters: {
    regionCode: region,
    productFamily: "Compute Instance",
    instanceType: type,
    operatingSystem: "Linux",
    tenancy: "Shared",
    preInstalledSw: "NA",
    capacitystatus: "Used",
  },
  usageType: `BoxUsage:${type}`,
});

export const ebsGp3Query = (region: string): PriceQuery => ({
  service: "AmazonEC2",
  filters: {
    regionCode: region,
    productFamily: "Storage",
    volumeApiName: "gp3",
  },
  usageType: "EBS:VolumeUsage.gp3",
});

export type Deployment = "Single-AZ" | "Multi-AZ";

/** A PostgreSQL database instance hour (RDS, not Aurora). */
export const databaseQuery = (
  region: string,
  instanceClass: string,
  deployment: Deployment,
): PriceQuery => ({
  service: "AmazonRDS",
  filters: {
    regionCode: region,
    productFamily: "Database Instance",
    instanceType: instanceClass,
    databaseEngine: "PostgreSQL",
    deploymentOption: deployment,
  },
});

/** gp3 storage of a PostgreSQL database, a GB-month. */
export const databaseStorageQuery = (
  region: string,
  deployment: Deployment,
): PriceQuery => ({
  service: "AmazonRDS",
  filters: {
    regionCode: region,
    productFamily: "Database Storage",
    volumeType: "General Purpose-GP3",
    databaseEngine: "PostgreSQL",
    deploymentOption: deployment,
  },
  usageType:
    deployment === "Multi-AZ" ? "RDS:Multi-AZ-GP3-Storage" : "RDS:GP3-Storage",
});

/**
 * An Aurora PostgreSQL instance hour. AWS lists two per class, both Single-AZ: Aurora Standard's
 * (usage type InstanceUsage:<class>, storage "EBS Only") and I/O-Optimized's
 * (InstanceUsageIOOptimized:<class>); the exact usage type takes Standard's, the program's.
 */
export const auroraInstanceQuery = (
  region: string,
  instanceClass: string,
): PriceQuery => ({
  service: "AmazonRDS",
  filters: {
    regionCode: region,
    productFamily: "Database Instance",
    instanceType: instanceClass,
    databaseEngine: "Aurora PostgreSQL",
    deploymentOption: "Single-AZ",
  },
  usageType: `InstanceUsage:${instanceClass}`,
});

/** An AmazonRDS price by product family and exact usage type, in a region. */
const rdsUsageQuery =
  (productFamily: string, usageType: string) =>
  (region: string): PriceQuery => ({
    service: "AmazonRDS",
    filters: { regionCode: region, productFamily },
    usageType,
  });

/**
 * Aurora Standard's cluster storage (Aurora:StorageUsage; not I/O-Optimized's
 * Aurora:IO-OptimizedStorageUsage), a GB-month. No engine filter: AWS lists Aurora storage under
 * its own databaseEngine values, and the exact usage type is Aurora's whichever engine.
 */
export const auroraStorageQuery = rdsUsageQuery(
  "Database Storage",
  "Aurora:StorageUsage",
);

/** Aurora Standard's I/O requests (read and write), priced per I/O. */
export const auroraIoQuery = rdsUsageQuery(
  "System Operation",
  "Aurora:StorageIOUsage",
);

/** Aurora Global Database's write I/Os replicated into a secondary cluster in the region, per I/O. */
export const auroraReplicatedWriteQuery = rdsUsageQuery(
  "Aurora Global Database",
  "Aurora:ReplicatedWriteIO",
);

/** Aurora backup and snapshot storage beyond the free allowance, a GB-month (not RDS's). */
export const auroraBackupQuery = rdsUsageQuery(
  "Storage Snapshot",
  "Aurora:BackupUsage",
);

/** RDS snapshot storage beyond the free allowance, a GB-month (not Aurora's nor RDS Custom's). */
export const snapshotQuery = rdsUsageQuery(
  "Storage Snapshot",
  "RDS:ChargedBackupUsage",
);

export const natGatewayQuery = (
  region: string,
  what: "Hours" | "Bytes",
): PriceQuery => ({
  service: "AmazonEC2",
  filters: { regionCode: region, productFamily: "NAT Gateway" },
  usageType: `NatGateway-${what}`,
});

/** An Application Load Balancer's hour, or one LCU-hour of it. */
export const albQuery = (
  region: string,
  what: "LoadBalancerUsage" | "LCUUsage",
): PriceQuery => ({
  service: "AWSELB",
  filters: {
    regionCode: region,
    productFamily: "Load Balancer-Application",
    locationType: "AWS Region",
  },
  usageType: what,
});

export const s3StandardQuery = (region: string): PriceQuery => ({
  service: "AmazonS3",
  filters: {
    regionCode: region,
    storageClass: "General Purpose",
    volumeType: "Standard",
  },
  usageType: "TimedStorage-ByteHrs",
});

/** S3 Replication Time Control, a GB replicated from one region to another. */
export const s3RtcQuery = (from: string, to: string): PriceQuery => ({
  service: "AmazonS3",
  filters: { fromRegionCode: from, toRegionCode: to },
  usageType: "S3RTC-Out-Bytes",
});

export const kmsKeyQuery = (region: string): PriceQuery => ({
  service: "awskms",
  filters: { regionCode: region },
  usageType: "KMS-Keys",
});

/** A standard-resolution metric alarm's month (every alarm the program makes has a 60 s or longer period). */
export const alarmQuery = (region: string): PriceQuery => ({
  service: "AmazonCloudWatch",
  filters: { regionCode: region, productFamily: "Alarm" },
  usageType: "CW:AlarmMonitorUsage",
});

export const interRegionQuery = (from: string, to: string): PriceQuery => ({
  service: "AWSDataTransfer",
  filters: {
    fromRegionCode: from,
    toRegionCode: to,
    transferType: "InterRegion Outbound",
  },
});

/** A Route 53 health check of an AWS endpoint, or one optional feature on it (HTTPS, 10 s interval, ...). */
export const healthCheckQuery = (
  what: "Health-Check-AWS" | "Health-Check-Option-AWS",
): PriceQuery => ({
  service: "AmazonRoute53",
  filters: { productFamily: "DNS Health Check" },
  usageType: what,
});

/** Reads the products of a service that match the filters, every page. */
export interface PricingClient {
  getProducts(service: string, filters: Filters): PriceListProduct[];
}

/** A problem with the setup (no AWS CLI, no credentials): one line, exit 2, nothing written. */
export class PricesSetupError extends Error {}

const NO_CREDENTIALS =
  /Unable to locate credentials|NoCredentialProviders|could not load credentials|Token has expired|ExpiredToken|InvalidClientTokenId|UnrecognizedClientException|The SSO session|Error loading SSO Token|The config profile \(.*\) could not be found/i;

/** The AWS CLI (`aws pricing get-products` against us-east-1), run with the given environment. */
export function awsCliClient(
  env: NodeJS.ProcessEnv = process.env,
): PricingClient {
  return {
    getProducts(service, filters) {
      const products: PriceListProduct[] = [];
      let token: string | undefined;
      do {
        let out: string;
        try {
          out = execFileSync(
            "aws",
            [
              "pricing",
              "get-products",
              "--region",
              "us-east-1",
              "--service-code",
              service,
              "--filters",
              ...Object.entries(filters).map(
                ([field, value]) =>
                  `Type=TERM_MATCH,Field=${field},Value=${value}`,
              ),
              "--output",
              "json",
              ...(token ? ["--next-token", token] : []),
            ],
            {
              encoding: "utf8",
              env,
              maxBuffer: 256 * 1024 * 1024,
              stdio: ["ignore", "pipe", "pipe"],
            },
          );
        } catch (thrown) {
          const err = thrown as NodeJS.ErrnoException & { stderr?: string };
          if (err.code === "ENOENT")
            throw new PricesSetupError(
              "prices: the AWS CLI (aws) is not on PATH; install it, it runs `aws pricing get-products` with your AWS credentials; nothing written",
            );
          const said = String(err.stderr ?? "").trim();
          if (NO_CREDENTIALS.test(said))
            throw new PricesSetupError(
              `prices: no usable AWS credentials (${said.split("\n")[0]}); configure some (aws configure, AWS_PROFILE, aws sso login), then run it again; nothing written`,
              { cause: thrown },
            );
          if (/AccessDenied/i.test(said))
            throw new PricesSetupError(
              `prices: these AWS credentials may not call pricing:GetProducts (${said.split("\n")[0]}); nothing written`,
              { cause: thrown },
            );
          throw new Error(
            `aws pricing get-products --service-code ${service} failed: ${said.split("\n")[0] || err.message}`,
            { cause: thrown },
          );
        }
        const page = JSON.parse(out) as {
          PriceList: string[];
          NextToken?: string;
        };
        products.push(
          ...page.PriceList.map((p) => JSON.parse(p) as PriceListProduct),
        );
        token = page.NextToken;
      } while (token);
      return products;
    },
  };
}

/** What the shipped stacks need priced: regions, instance types, database classes. */
function needs(root?: string) {
  const regions = new Set<string>();
  const instanceTypes = new Set<string>();
  const classes = new Set<string>();
  const auroraClasses = new Set<string>();
  for (const env of stackNames(root)) {
    const config = readStackFile(env, root);
    regions.add(String(config["dr:primaryRegion"]));
    regions.add(String(config["dr:recoveryRegion"]));
    const app = config["dr:app"] as { instanceType?: string } | undefined;
    instanceTypes.add(app?.instanceType ?? "t3.small");
    const database = config["dr:database"] as
      { engine?: string; instanceClass?: string } | undefined;
    // RDS prices every stack's classes (a stack may be assessed on either engine); a stack on
    // Aurora has its classes priced as Aurora instances too, and warm standby's reader, the
    // smallest class a global database takes unless the tier's settings key sizes it.
    const onAurora = database?.engine === "aurora-postgresql";
    const both = (instanceClass: string) => {
      classes.add(instanceClass);
      if (onAurora) auroraClasses.add(instanceClass);
    };
    both(database?.instanceClass ?? "db.t4g.medium");
    if (onAurora) auroraClasses.add(SMALLEST_GLOBAL_CLASS);
    // Each tier's settings key may size its standby replica.
    for (const key of Object.values(TIER_PROFILES).flatMap((p) =>
      p.settingsKey ? [`dr:${p.settingsKey}`] : [],
    )) {
      const replica = (
        config[key] as { replicaInstanceClass?: string } | undefined
      )?.replicaInstanceClass;
      if (replica) both(replica);
    }
  }
  return {
    regions: [...regions],
    instanceTypes: [...instanceTypes],
    classes: [...classes],
    auroraClasses: [...auroraClasses],
  };
}

/** Every price of the table, read through the client. */
export function readPriceTable(
  client: PricingClient,
  needed: {
    regions: string[];
    instanceTypes: string[];
    classes: string[];
    /** Classes of stacks on Aurora PostgreSQL. */
    auroraClasses?: string[];
  },
  date: string,
  progress: (line: string) => void = () => {},
): PriceTable {
  // Progress waits for an answer, so a run without credentials prints its one line alone.
  const pending: string[] = [];
  const say = (line: string) => pending.push(line);
  const ask = (q: PriceQuery) => {
    const products = client.getProducts(q.service, q.filters);
    for (const line of pending.splice(0)) progress(line);
    return products;
  };
  const read = (q: PriceQuery) => onDemandPrice(ask(q), q.usageType);
  const readPerMillion = (q: PriceQuery) => perMillionIos(ask(q), q.usageType);
  const { regions, instanceTypes, classes, auroraClasses = [] } = needed;
  const regionPrices = (region: string): RegionPrices => {
    say(`reading ${region}'s prices`);
    const others = regions.filter((r) => r !== region);
    return {
      ec2Hour: Object.fromEntries(
        instanceTypes.map((type) => [type, read(instanceQuery(region, type))]),
      ),
      ebsGp3GbMonth: read(ebsGp3Query(region)),
      rdsHour: Object.fromEntries(
        classes.map((instanceClass) => [
          instanceClass,
          {
            single: read(databaseQuery(region, instanceClass, "Single-AZ")),
            multiAz: read(databaseQuery(region, instanceClass, "Multi-AZ")),
          },
        ]),
      ),
      rdsGp3GbMonth: {
        single: read(databaseStorageQuery(region, "Single-AZ")),
        multiAz: read(databaseStorageQuery(region, "Multi-AZ")),
      },
      snapshotGbMonth: read(snapshotQuery(region)),
      ...(auroraClasses.length > 0
        ? {
            auroraHour: Object.fromEntries(
              auroraClasses.map((instanceClass) => [
                instanceClass,
                read(auroraInstanceQuery(region, instanceClass)),
              ]),
            ),
            auroraStorageGbMonth: read(auroraStorageQuery(region)),
            auroraIoMillion: readPerMillion(auroraIoQuery(region)),
            auroraReplicatedWriteMillion: readPerMillion(
              auroraReplicatedWriteQuery(region),
            ),
            auroraBackupGbMonth: read(auroraBackupQuery(region)),
          }
        : {}),
      natGatewayHour: read(natGatewayQuery(region, "Hours")),
      natGatewayGb: read(natGatewayQuery(region, "Bytes")),
      albHour: read(albQuery(region, "LoadBalancerUsage")),
      albLcuHour: read(albQuery(region, "LCUUsage")),
      s3StandardGbMonth: read(s3StandardQuery(region)),
      s3RtcGbTo: Object.fromEntries(
        others.map((to) => [to, read(s3RtcQuery(region, to))]),
      ),
      kmsKeyMonth: read(kmsKeyQuery(region)),
      alarmMonth: read(alarmQuery(region)),
      interRegionGb: Object.fromEntries(
        others.map((to) => [to, read(interRegionQuery(region, to))]),
      ),
    };
  };
  const table: PriceTable = {
    date,
    source:
      "AWS Price List Query API (aws pricing get-products), On-Demand, USD",
    regions: Object.fromEntries(regions.map((r) => [r, regionPrices(r)])),
    global: {},
  };
  say("reading Route 53's prices");
  const check = healthCheckQuery("Health-Check-AWS");
  const paid = paidTierPrice(ask(check), check.usageType);
  table.global = {
    healthCheckMonth: paid?.price,
    healthCheckFreeChecks: paid?.freeUnits,
    healthCheckFeatureMonth: read(healthCheckQuery("Health-Check-Option-AWS")),
  };
  return table;
}

export interface PricesOptions {
  client?: PricingClient;
  /** Where the stacks are read from (their regions, types and classes). */
  root?: string;
  now?: Date;
  /** Progress lines, as they happen (stderr). */
  progress?: (line: string) => void;
}

/** The command: exit code, stdout and stderr; never throws for a bad command line or setup. */
export function runPrices(
  argv: string[],
  {
    client = awsCliClient(),
    root,
    now = new Date(),
    progress = () => {},
  }: PricesOptions = {},
): CliResult {
  let parsed;
  try {
    parsed = parseCommandLine(argv, {
      usage: PRICES_USAGE,
      options: { "out-dir": { type: "string" } },
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return { code: 2, stdout: "", stderr: err.message };
  }
  if (parsed === "help") return { code: 0, stdout: PRICES_USAGE, stderr: "" };
  const { values } = parsed;
  const date = now.toISOString().slice(0, 10);
  let table: PriceTable;
  try {
    table = readPriceTable(client, needs(root), date, progress);
  } catch (err) {
    if (err instanceof PricesSetupError)
      return { code: 2, stdout: "", stderr: err.message };
    return { code: 1, stdout: "", stderr: `prices: ${(err as Error).message}` };
  }
  const dir = values["out-dir"] ?? PRICES_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${date}.json`);
  fs.writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  return {
    code: 0,
    stdout: `wrote ${path.relative(process.cwd(), file)}; a price AWS did not answer unambiguously is left out, and assess lists it as unpriced`,
    stderr: "",
  };
}

if (require.main === module) {
  const { code, stdout, stderr } = runPrices(process.argv.slice(2), {
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  if (stdout) process.stdout.write(`${stdout}\n`);
  if (stderr) process.stderr.write(`${stderr}\n`);
  process.exitCode = code;
}
