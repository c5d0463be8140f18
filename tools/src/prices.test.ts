import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  albQuery,
  auroraBackupQuery,
  auroraInstanceQuery,
  auroraIoQuery,
  auroraReplicatedWriteQuery,
  auroraStorageQuery,
  awsCliClient,
  databaseQuery,
  databaseStorageQuery,
  healthCheckQuery,
  instanceQuery,
  onDemandPrice,
  paidTierPrice,
  perMillionIos,
  PRICES_USAGE,
  runPrices,
  s3RtcQuery,
  snapshotQuery,
  usageTypeIs,
  type PriceListProduct,
  type PricingClient,
} from "./prices";

/** A GetProducts PriceList entry as AWS's Price List Query API returns it (trimmed). */
const product = (
  usagetype: string,
  usd: string,
  beginRange = "0",
  endRange = "Inf",
): PriceListProduct => ({
  product: { attributes: { usagetype, regionCode: "us-east-1" } },
  terms: {
    OnDemand: {
      "SKU.JRTCKXETXF": {
        priceDimensions: {
          "SKU.JRTCKXETXF.6YS6EN2CT7": {
            unit: "Hrs",
            beginRange,
            endRange,
            pricePerUnit: { USD: usd },
          },
        },
      },
    },
  },
});

describe("reading AWS's Price List", () => {
  it("takes the On-Demand price of the first tier of the product the usage type names", () => {
    expect(
      onDemandPrice(
        [
          product("USE1-NatGateway-Hours", "0.0450000000"),
          product("USE1-NatGateway-Bytes", "0.0450000000"),
        ],
        "NatGateway-Hours",
      ),
    ).toBe(0.045);
    expect(
      onDemandPrice([
        product("TimedStorage-ByteHrs", "0.0230000000", "0", "51200"),
        product("TimedStorage-ByteHrs", "0.0220000000", "51200"),
      ]),
    ).toBe(0.023);
  });

  it("gives no price rather than a guess when AWS's answer is empty or ambiguous", () => {
    expect(onDemandPrice([], "KMS-Keys")).toBeUndefined();
    expect(
      onDemandPrice([
        product("BoxUsage:m7g.large", "0.0816000000"),
        product("BoxUsage:m7g.large", "0.1632000000"),
      ]),
    ).toBeUndefined();
  });
});

describe("the Price List queries", () => {
  it("takes RDS snapshot storage on RDS:ChargedBackupUsage exactly, not Aurora's or RDS Custom's", () => {
    const query = snapshotQuery("us-west-2");
    expect(query.filters).toEqual({
      regionCode: "us-west-2",
      productFamily: "Storage Snapshot",
    });
    const answer = [
      product("USW2-RDS:ChargedBackupUsage", "0.0950000000"),
      product("USW2-Aurora:BackupUsage", "0.0210000000"),
      product("USW2-RDSCustom:ChargedBackupUsage", "0.0950000001"),
    ];
    expect(onDemandPrice(answer, query.usageType)).toBe(0.095);
    // The old suffix match took all three: no answer.
    expect(onDemandPrice(answer, undefined)).toBeUndefined();
    expect(
      usageTypeIs("RDS:ChargedBackupUsage", "RDS:ChargedBackupUsage"),
    ).toBe(true);
    expect(
      usageTypeIs("EU-RDS:ChargedBackupUsage", "RDS:ChargedBackupUsage"),
    ).toBe(true);
    expect(usageTypeIs("us-west-2-KMS-Keys", "KMS-Keys")).toBe(true);
    expect(usageTypeIs("TS-LoadBalancerUsage", "LoadBalancerUsage")).toBe(
      false,
    );
  });

  it("asks for S3 RTC per region pair and its exact usage type", () => {
    const query = s3RtcQuery("us-east-1", "us-west-2");
    expect(query).toEqual({
      service: "AmazonS3",
      filters: { fromRegionCode: "us-east-1", toRegionCode: "us-west-2" },
      usageType: "S3RTC-Out-Bytes",
    });
    expect(
      onDemandPrice(
        [
          product("USE1-USW2-S3RTC-Out-Bytes", "0.0150000000"),
          product("USE1-USW2-S3RTC-In-Bytes", "0.0000000000"),
          product("USE1-USW2-AWS-Out-Bytes", "0.0200000000"),
        ],
        query.usageType,
      ),
    ).toBe(0.015);
  });

  it("names the product family of instances and the engine of database storage", () => {
    expect(instanceQuery("us-east-1", "t3.small").filters).toMatchObject({
      productFamily: "Compute Instance",
      instanceType: "t3.small",
    });
    expect(
      databaseQuery("us-east-1", "db.r7g.large", "Multi-AZ").filters,
    ).toMatchObject({
      productFamily: "Database Instance",
      databaseEngine: "PostgreSQL",
      deploymentOption: "Multi-AZ",
    });
    const storage = databaseStorageQuery("eu-west-1", "Multi-AZ");
    expect(storage.filters).toMatchObject({
      productFamily: "Database Storage",
      databaseEngine: "PostgreSQL",
      volumeType: "General Purpose-GP3",
    });
    expect(storage.usageType).toBe("RDS:Multi-AZ-GP3-Storage");
    expect(albQuery("us-east-1", "LCUUsage").usageType).toBe("LCUUsage");
  });

  it("takes Aurora PostgreSQL's Standard prices, not I/O-Optimized's, nor RDS's or Limitless's", () => {
    const instance = auroraInstanceQuery("us-west-2", "db.r7g.large");
    expect(instance.filters).toEqual({
      regionCode: "us-west-2",
      productFamily: "Database Instance",
      instanceType: "db.r7g.large",
      databaseEngine: "Aurora PostgreSQL",
      deploymentOption: "Single-AZ",
    });
    // Both configurations' instances answer the same filters.
    expect(
      onDemandPrice(
        [
          product("USW2-InstanceUsage:db.r7g.large", "0.2760000000"),
          product("USW2-InstanceUsageIOOptimized:db.r7g.large", "0.3588000000"),
        ],
        instance.usageType,
      ),
    ).toBe(0.276);
    const storage = auroraStorageQuery("us-east-1");
    expect(storage.filters).toMatchObject({
      productFamily: "Database Storage",
    });
    expect(
      onDemandPrice(
        [
          product("Aurora:StorageUsage", "0.1000000000"),
          product("Aurora:IO-OptimizedStorageUsage", "0.2250000000"),
          product("Aurora:StorageUsage-LimitlessPreview", "0.0000000000"),
          product("RDS:GP3-Storage", "0.1150000000"),
        ],
        storage.usageType,
      ),
    ).toBe(0.1);
    expect(auroraBackupQuery("us-east-1").usageType).toBe("Aurora:BackupUsage");
    expect(auroraReplicatedWriteQuery("us-west-2")).toEqual({
      service: "AmazonRDS",
      filters: {
        regionCode: "us-west-2",
        productFamily: "Aurora Global Database",
      },
      usageType: "Aurora:ReplicatedWriteIO",
    });
  });

  it("prices Aurora's I/O per million requests from the Price List's price per I/O, and no other unit", () => {
    const query = auroraIoQuery("us-east-1");
    expect(query.filters).toEqual({
      regionCode: "us-east-1",
      productFamily: "System Operation",
    });
    const perIo = (usagetype: string, usd: string, unit = "IOs") => {
      const p = product(usagetype, usd);
      for (const term of Object.values(p.terms.OnDemand ?? {}))
        for (const d of Object.values(term.priceDimensions)) d.unit = unit;
      return p;
    };
    expect(
      perMillionIos(
        [
          perIo("Aurora:StorageIOUsage", "0.0000002000"),
          perIo("Aurora:StorageIOUsage-LimitlessPreview", "0.0000000000"),
        ],
        query.usageType,
      ),
    ).toBe(0.2);
    expect(
      perMillionIos(
        [perIo("Aurora:StorageIOUsage", "0.2000000000", "Million IOs")],
        query.usageType,
      ),
    ).toBeUndefined();
    expect(perMillionIos([], query.usageType)).toBeUndefined();
  });

  it("reads Route 53 health checks with their free first 50", () => {
    const query = healthCheckQuery("Health-Check-AWS");
    expect(query.filters).toEqual({ productFamily: "DNS Health Check" });
    const tiered: PriceListProduct = {
      product: { attributes: { usagetype: "Health-Check-AWS" } },
      terms: {
        OnDemand: {
          "SKU.T": {
            priceDimensions: {
              free: {
                unit: "Count",
                beginRange: "0",
                endRange: "50",
                pricePerUnit: { USD: "0.0000000000" },
              },
              paid: {
                unit: "Count",
                beginRange: "50",
                endRange: "Inf",
                pricePerUnit: { USD: "0.5000000000" },
              },
            },
          },
        },
      },
    };
    // The first tier alone would say they cost nothing.
    expect(onDemandPrice([tiered], query.usageType)).toBe(0);
    expect(paidTierPrice([tiered], query.usageType)).toEqual({
      price: 0.5,
      freeUnits: 50,
    });
    expect(
      paidTierPrice(
        [product("Health-Check-Option-AWS", "1.0")],
        "Health-Check-Option-AWS",
      ),
    ).toEqual({ price: 1, freeUnits: 0 });
  });
});

describe("npm run prices, through its command line", () => {
  const client = (
    answer: (service: string) => PriceListProduct[],
  ): PricingClient => ({
    getProducts: (service) => answer(service),
  });
  const unused = client(() => {
    throw new Error("the Price List was asked");
  });

  it("prints its usage for --help and -h and asks AWS nothing", () => {
    for (const flag of ["--help", "-h"])
      expect(runPrices([flag], { client: unused })).toEqual({
        code: 0,
        stdout: PRICES_USAGE,
        stderr: "",
      });
    const bad = runPrices(["--stack", "prod"], { client: unused });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n").slice(0, 2)).toEqual([
      "unknown option --stack",
      "usage: npm run prices [-- --out-dir <dir>]",
    ]);
  });

  it("without AWS credentials: one line, exit 2, nothing written (the AWS CLI in an environment without any)", () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "prices-bin-"));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "prices-out-"));
    // What the AWS CLI prints and exits with when it finds no credentials.
    fs.writeFileSync(
      path.join(bin, "aws"),
      `#!/bin/sh\necho 'Unable to locate credentials. You can configure credentials by running "aws configure".' >&2\nexit 253\n`,
      { mode: 0o755 },
    );
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: out };
    const result = runPrices(["--out-dir", out], { client: awsCliClient(env) });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toEqual([
      expect.stringMatching(
        /^prices: no usable AWS credentials \(Unable to locate credentials\..*nothing written$/,
      ),
    ]);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("without the AWS CLI: one line, exit 2", () => {
    const result = runPrices([], {
      client: awsCliClient({ PATH: "/nonexistent" }),
    });
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(
      /^prices: the AWS CLI \(aws\) is not on PATH.*nothing written$/,
    );
  });

  it("writes the dated table from the client's answers, every query of it asked", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "prices-out-"));
    const asked: string[] = [];
    const progress: string[] = [];
    const result = runPrices(["--out-dir", out], {
      client: client((service) => {
        asked.push(service);
        return service === "AmazonCloudWatch"
          ? [product("CW:AlarmMonitorUsage", "0.1000000000")]
          : [];
      }),
      now: new Date("2030-01-02T03:04:05Z"),
      progress: (line) => progress.push(line),
    });
    expect(result.code).toBe(0);
    const table = JSON.parse(
      fs.readFileSync(path.join(out, "2030-01-02.json"), "utf8"),
    );
    expect(table.date).toBe("2030-01-02");
    expect(table.regions["us-east-1"].alarmMonth).toBe(0.1);
    expect(table.regions["us-east-1"].natGatewayGb).toBeUndefined();
    expect(new Set(asked)).toEqual(
      new Set([
        "AmazonEC2",
        "AmazonRDS",
        "AWSELB",
        "AmazonS3",
        "awskms",
        "AmazonCloudWatch",
        "AWSDataTransfer",
        "AmazonRoute53",
      ]),
    );
    expect(progress).toContain("reading us-east-1's prices");
  });
});
