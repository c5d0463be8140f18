// `npm run prices`: reads the On-Demand prices `assess` needs from AWS's Price List Query API (the
// AWS CLI's `aws pricing get-products`, with your credentials) for the regions, instance types and
// database classes of the shipped stacks, and writes them, dated, to tools/prices/<date>.json.
// Commit the file: assess then prices every tier from it, and prints its date and source.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PRICES_DIR, type PriceTable, type RegionPrices } from "./costs";
import { readStackFile, stackNames } from "./stack-config";
import { TIER_PROFILES } from "@aws-dr/stacks/profiles";

/** One product of a GetProducts answer (each PriceList entry is this, as a JSON string). */
export interface PriceListProduct {
  product: { attributes: Record<string, string> };
  terms: {
    OnDemand?: Record<
      string,
      {
        priceDimensions: Record<
          string,
          { unit: string; beginRange?: string; pricePerUnit: { USD?: string } }
        >;
      }
    >;
  };
}

/**
 * The On-Demand USD price of the first (lowest) tier of the products whose usagetype ends with the
 * given suffix, when exactly one price remains; undefined otherwise (ambiguous or absent: never a
 * guess).
 */
export function onDemandPrice(
  products: PriceListProduct[],
  usageTypeSuffix = "",
): number | undefined {
  const prices = new Set<number>();
  for (const p of products) {
    if (!(p.product.attributes.usagetype ?? "").endsWith(usageTypeSuffix))
      continue;
    for (const term of Object.values(p.terms.OnDemand ?? {}))
      for (const dimension of Object.values(term.priceDimensions))
        if ((dimension.beginRange ?? "0") === "0" && dimension.pricePerUnit.USD)
          prices.add(Number(dimension.pricePerUnit.USD));
  }
  return prices.size === 1 ? [...prices][0] : undefined;
}

/** `aws pricing get-products` with TERM_MATCH filters, every page. */
function getProducts(
  service: string,
  filters: Record<string, string>,
): PriceListProduct[] {
  const products: PriceListProduct[] = [];
  let token: string | undefined;
  do {
    const out = execFileSync(
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
          ([field, value]) => `Type=TERM_MATCH,Field=${field},Value=${value}`,
        ),
        "--output",
        "json",
        ...(token ? ["--next-token", token] : []),
      ],
      { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
    );
    const page = JSON.parse(out) as { PriceList: string[]; NextToken?: string };
    products.push(
      ...page.PriceList.map((p) => JSON.parse(p) as PriceListProduct),
    );
    token = page.NextToken;
  } while (token);
  return products;
}

/** What the shipped stacks need priced: regions, instance types, database classes. */
function needs() {
  const regions = new Set<string>();
  const instanceTypes = new Set<string>();
  const classes = new Set<string>();
  for (const env of stackNames()) {
    const config = readStackFile(env);
    regions.add(String(config["dr:primaryRegion"]));
    regions.add(String(config["dr:recoveryRegion"]));
    const app = config["dr:app"] as { instanceType?: string } | undefined;
    instanceTypes.add(app?.instanceType ?? "t3.small");
    const database = config["dr:database"] as
      { instanceClass?: string } | undefined;
    classes.add(database?.instanceClass ?? "db.t4g.medium");
    // Each tier's settings key may size its standby replica.
    for (const key of Object.values(TIER_PROFILES).flatMap((p) =>
      p.settingsKey ? [`dr:${p.settingsKey}`] : [],
    )) {
      const replica = (
        config[key] as { replicaInstanceClass?: string } | undefined
      )?.replicaInstanceClass;
      if (replica) classes.add(replica);
    }
  }
  return {
    regions: [...regions],
    instanceTypes: [...instanceTypes],
    classes: [...classes],
  };
}

function regionPrices(
  region: string,
  others: string[],
  instanceTypes: string[],
  classes: string[],
): RegionPrices {
  const ec2 = (filters: Record<string, string>) =>
    getProducts("AmazonEC2", { regionCode: region, ...filters });
  const rds = (filters: Record<string, string>) =>
    getProducts("AmazonRDS", { regionCode: region, ...filters });
  return {
    ec2Hour: Object.fromEntries(
      instanceTypes.map((type) => [
        type,
        onDemandPrice(
          ec2({
            instanceType: type,
            operatingSystem: "Linux",
            tenancy: "Shared",
            preInstalledSw: "NA",
            capacitystatus: "Used",
          }),
        ),
      ]),
    ),
    ebsGp3GbMonth: onDemandPrice(
      ec2({ productFamily: "Storage", volumeApiName: "gp3" }),
    ),
    rdsHour: Object.fromEntries(
      classes.map((instanceClass) => [
        instanceClass,
        {
          single: onDemandPrice(
            rds({
              instanceType: instanceClass,
              databaseEngine: "PostgreSQL",
              deploymentOption: "Single-AZ",
            }),
          ),
          multiAz: onDemandPrice(
            rds({
              instanceType: instanceClass,
              databaseEngine: "PostgreSQL",
              deploymentOption: "Multi-AZ",
            }),
          ),
        },
      ]),
    ),
    rdsGp3GbMonth: {
      single: onDemandPrice(
        rds({
          productFamily: "Database Storage",
          volumeType: "General Purpose-GP3",
          deploymentOption: "Single-AZ",
        }),
        "GP3-Storage",
      ),
      multiAz: onDemandPrice(
        rds({
          productFamily: "Database Storage",
          volumeType: "General Purpose-GP3",
          deploymentOption: "Multi-AZ",
        }),
        "GP3-Storage",
      ),
    },
    snapshotGbMonth: onDemandPrice(
      rds({ productFamily: "Storage Snapshot" }),
      "BackupUsage",
    ),
    natGatewayHour: onDemandPrice(
      ec2({ productFamily: "NAT Gateway" }),
      "NatGateway-Hours",
    ),
    albHour: onDemandPrice(
      getProducts("AWSELB", {
        regionCode: region,
        productFamily: "Load Balancer-Application",
      }),
      "LoadBalancerUsage",
    ),
    s3StandardGbMonth: onDemandPrice(
      getProducts("AmazonS3", {
        regionCode: region,
        storageClass: "General Purpose",
        volumeType: "Standard",
      }),
    ),
    s3RtcGb: onDemandPrice(
      getProducts("AmazonS3", {
        regionCode: region,
        productFamily: "Data Transfer",
      }),
      "S3RTC-In-Bytes",
    ),
    kmsKeyMonth: onDemandPrice(
      getProducts("awskms", { regionCode: region }),
      "KMS-Keys",
    ),
    interRegionGb: Object.fromEntries(
      others.map((to) => [
        to,
        onDemandPrice(
          getProducts("AWSDataTransfer", {
            fromRegionCode: region,
            toRegionCode: to,
            transferType: "InterRegion Outbound",
          }),
        ),
      ]),
    ),
  };
}

if (require.main === module) {
  const { regions, instanceTypes, classes } = needs();
  const date = new Date().toISOString().slice(0, 10);
  const route53 = getProducts("AmazonRoute53", {
    productFamily: "DNS Health Check",
  });
  const table: PriceTable = {
    date,
    source:
      "AWS Price List Query API (aws pricing get-products), On-Demand, USD",
    regions: Object.fromEntries(
      regions.map((region) => [
        region,
        regionPrices(
          region,
          regions.filter((r) => r !== region),
          instanceTypes,
          classes,
        ),
      ]),
    ),
    global: {
      healthCheckMonth: onDemandPrice(route53, "Health-Check-AWS"),
      healthCheckFeatureMonth: onDemandPrice(
        route53,
        "Health-Check-Option-AWS",
      ),
    },
  };
  fs.mkdirSync(PRICES_DIR, { recursive: true });
  const file = path.join(PRICES_DIR, `${date}.json`);
  fs.writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), file)}; a price AWS did not answer unambiguously is left out, and assess lists it as unpriced\n`,
  );
}
