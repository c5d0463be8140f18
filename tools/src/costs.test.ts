import * as path from "node:path";
import program = require("@aws-dr/stacks");
import type { Plan, PlannedResource } from "./evaluate";
import {
  DEFAULT_USAGE,
  monthlyCost,
  newestPriceTable,
  type PriceTable,
  type StackSize,
} from "./costs";
import { evaluate } from "./testing/cached-evaluate";

const FIXTURES = path.join(__dirname, "fixtures");
const fixture = newestPriceTable(FIXTURES)!;
/** The fixture with round prices for what it predates: NAT data, LCUs, alarms, RTC per region pair. */
const table: PriceTable = {
  ...fixture,
  regions: {
    ...fixture.regions,
    "us-east-1": {
      ...fixture.regions["us-east-1"],
      natGatewayGb: 0.05,
      albLcuHour: 0.01,
      alarmMonth: 0.1,
      s3RtcGbTo: { "us-west-2": 0.01 },
    },
  },
};

const resource = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): PlannedResource => ({
  urn: `urn:${type}::${name}`,
  type,
  name,
  parent: null,
  provider: null,
  region: "us-east-1",
  protect: false,
  retainOnDelete: false,
  ignoreChanges: [],
  propertyDependencies: {},
  inputs,
  dependsOn: [],
  deleteBeforeReplace: false,
  replaceOnChanges: [],
  customTimeouts: null,
  aliases: [],
});

/** One site in us-east-1: 2 instances, one NAT gateway, an ALB, a Multi-AZ database, a key, two alarms, a fast HTTPS check. */
const siteOf = (instanceType: string): Plan => ({
  stack: "hand",
  tier: "backup-restore",
  failover: false,
  outputs: { primaryRegion: "us-east-1", recoveryRegion: "us-west-2" },
  warnings: [],
  resources: [
    {
      ...resource("aws:autoscaling/group:Group", "primary-asg", {
        minSize: 2,
        maxSize: 6,
      }),
      propertyDependencies: {
        launchTemplate: [
          "urn:aws:ec2/launchTemplate:LaunchTemplate::primary-lt",
        ],
      },
    },
    resource("aws:ec2/launchTemplate:LaunchTemplate", "primary-lt", {
      instanceType,
      blockDeviceMappings: [{ ebs: { volumeSize: 20 } }],
    }),
    resource("awsx:ec2:Vpc", "primary-vpc", {
      natGateways: { strategy: "Single" },
      availabilityZoneNames: ["us-east-1a", "us-east-1b"],
    }),
    resource("aws:lb/loadBalancer:LoadBalancer", "primary-alb", {}),
    resource("aws:rds/instance:Instance", "primary-db", {
      instanceClass: "db.r7g.large",
      multiAz: true,
      allocatedStorage: 100,
    }),
    resource("aws:kms/key:Key", "primary-db-key", {}),
    resource("aws:cloudwatch/metricAlarm:MetricAlarm", "primary-cpu", {}),
    resource("aws:cloudwatch/metricAlarm:MetricAlarm", "primary-5xx", {}),
    resource("aws:route53/healthCheck:HealthCheck", "app-primary-health", {
      type: "HTTPS",
      requestInterval: 10,
    }),
  ],
});

describe("monthly cost", () => {
  it("prices always-on capacity from the table: a hand-computed site comes to 524.60 USD", () => {
    const cost = monthlyCost(siteOf("m7g.large"), table, DEFAULT_USAGE);
    expect(cost.lines.map((l) => [l.item, l.monthly])).toEqual([
      ["m7g.large instances (primary-asg minSize)", 146], // 2 x 730 h x 0.10
      ["gp3 root volumes (primary-asg)", 4], // 2 x 20 GB x 0.10
      ["NAT gateways (primary-vpc)", 36.5], // 1 x 730 h x 0.05
      ["NAT gateway data processed (primary-vpc, 10 GB a gateway)", 0.5], // 10 GB x 0.05
      ["load balancer primary-alb", 14.6], // 730 h x 0.02
      ["load balancer capacity units (primary-alb, 1 LCU on average)", 7.3], // 730 LCU-h x 0.01
      ["db.r7g.large Multi-AZ (primary-db)", 292], // 730 h x 0.40
      ["database storage (primary-db)", 20], // 100 GB x 0.20 (Multi-AZ)
      ["KMS keys", 1],
      ["CloudWatch alarms", 0.2], // 2 x 0.10
      ["Route 53 health checks", 0.5],
      ["health check features (HTTPS, 10 s interval)", 2],
    ]);
    expect(cost.total).toBe(524.6);
    expect(cost.unpriced).toEqual([]);
  });

  it("lists what the table has no price for and leaves it out of the total, never guessing", () => {
    const cost = monthlyCost(siteOf("c9.huge"), table, DEFAULT_USAGE);
    expect(cost.unpriced).toEqual([
      "c9.huge instances (primary-asg minSize) (us-east-1)",
    ]);
    expect(cost.total).toBe(378.6);
  });

  it("charges only the health checks beyond the account's free ones, with the account's others assumed", () => {
    const free = (otherHealthChecks: number) =>
      monthlyCost(
        siteOf("m7g.large"),
        { ...table, global: { ...table.global, healthCheckFreeChecks: 50 } },
        { ...DEFAULT_USAGE, otherHealthChecks },
      ).lines.find((l) => l.item.startsWith("Route 53 health checks"));
    // Alone in the account: free, and still listed.
    expect(free(0)).toMatchObject({
      item: "Route 53 health checks (1; an account's first 50 free, 0 others assumed)",
      quantity: 0,
      monthly: 0,
    });
    expect(free(49)?.monthly).toBe(0);
    expect(free(50)?.monthly).toBe(0.5);
  });

  it("prices S3 RTC for the stack's region pair, not a region's other pairs", () => {
    const plan = siteOf("m7g.large");
    plan.resources.push(
      resource(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "data-replication",
        {},
      ),
    );
    const rtc = (to: Record<string, number>) =>
      monthlyCost(
        plan,
        {
          ...table,
          regions: {
            ...table.regions,
            "us-east-1": { ...table.regions["us-east-1"], s3RtcGbTo: to },
          },
        },
        DEFAULT_USAGE,
      );
    expect(
      rtc({ "us-west-2": 0.015 }).lines.find(
        (l) => l.item === "S3 Replication Time Control",
      )?.monthly,
    ).toBe(0.15);
    expect(rtc({ "eu-west-1": 0.015 }).unpriced).toContain(
      "S3 Replication Time Control (us-east-1)",
    );
  });
});

describe("monthly cost on Aurora", () => {
  // Prod as shipped, on Aurora PostgreSQL (db.r7g.large, Multi-AZ: a writer and a reader a
  // cluster, 100 GB), each tier as assess plans it, so these share the run's evaluations with
  // assess's tests.
  const auroraPlan = (tier: string) =>
    evaluate(program, "prod", [
      `dr:tier=${tier}`,
      "dr:failover=false",
      "dr:failback=none",
      "dr:targets.rtoMinutes=1000000",
      "dr:targets.rpoMinutes=1000000",
    ]);
  const prod: StackSize = { databaseGb: 100 };
  const AURORA_ITEM =
    /Aurora|replication into|backups in|Multi-AZ \(|database storage/;
  const auroraLines = (plan: Plan, t = table, stack = prod) =>
    monthlyCost(plan, t, DEFAULT_USAGE, stack)
      .lines.filter((l) => AURORA_ITEM.test(l.item))
      .map((l) => [l.item, l.region, l.quantity, l.monthly])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  // 10 GB of changes a month in 4 KB write I/Os: 10 x 2^30 / 4096 = 2,621,440.
  const WRITES = "2.62 million: 10 GB of changes in 4 KB write I/Os";
  const storage = (cluster: string) =>
    `Aurora storage (${cluster}, billed on what it stores: 100 GB assumed, dr:database.allocatedStorageGb)`;

  it("at active-active prices both regions' instances at their class, each cluster's storage, the I/O, and the writes replicated into the secondary", async () => {
    expect(auroraLines(await auroraPlan("active-active"))).toEqual([
      [
        "Aurora read I/O (primary-db, 10 million reads from storage assumed)",
        "us-east-1",
        10,
        2,
      ], // x 0.20 a million
      [
        "Aurora read I/O (recovery-db, 10 million reads from storage assumed)",
        "us-west-2",
        10,
        2,
      ],
      [
        `Aurora replicated writes into recovery-db (the writer's ${WRITES})`,
        "us-west-2",
        2.62144,
        0.52,
      ], // x 0.20 a million
      [storage("primary-db"), "us-east-1", 100, 10], // x 0.10
      [storage("recovery-db"), "us-west-2", 100, 10],
      [`Aurora write I/O (primary-db, ${WRITES})`, "us-east-1", 2.62144, 0.52],
      [
        "backups in primary-vault (one full copy of the database)",
        "us-east-1",
        100,
        2,
      ], // x 0.02 (Aurora's)
      [
        "backups in recovery-vault (one full copy of the database)",
        "us-west-2",
        100,
        2,
      ],
      ["db.r7g.large Aurora instance (primary-db-1)", "us-east-1", 730, 219], // x 0.30
      ["db.r7g.large Aurora instance (primary-db-2)", "us-east-1", 730, 219],
      ["db.r7g.large Aurora instance (recovery-db-1)", "us-west-2", 730, 219],
      ["db.r7g.large Aurora instance (recovery-db-2)", "us-west-2", 730, 219],
      ["replication into recovery-db", "us-east-1", 10, 0.2], // 10 GB x 0.02
    ]);
  });

  it("at pilot-light charges the headless secondary its storage and replicated writes, and no instance hours", async () => {
    const lines = auroraLines(await auroraPlan("pilot-light"));
    expect(lines.filter((l) => l[1] === "us-west-2")).toEqual([
      [
        `Aurora replicated writes into recovery-db (the writer's ${WRITES})`,
        "us-west-2",
        2.62144,
        0.52,
      ],
      [storage("recovery-db"), "us-west-2", 100, 10],
      [
        "backups in recovery-vault (one full copy of the database)",
        "us-west-2",
        100,
        2,
      ],
    ]);
    expect(lines.map((l) => l[0])).toEqual(
      expect.arrayContaining([
        "db.r7g.large Aurora instance (primary-db-1)",
        "db.r7g.large Aurora instance (primary-db-2)",
      ]),
    );
  });

  it("says when the stack's database size was not given, and takes the program's default", async () => {
    const lines = auroraLines(await auroraPlan("pilot-light"), table, {});
    expect(lines).toContainEqual([
      "Aurora storage (recovery-db, billed on what it stores: 20 GB assumed, dr:database.allocatedStorageGb's default, the stack's not given)",
      "us-west-2",
      20,
      2,
    ]);
  });

  it("lists what the table has no Aurora price for and leaves it out of the total", async () => {
    const plan = await auroraPlan("active-active");
    const west = table.regions["us-west-2"];
    const missing: PriceTable = {
      ...table,
      regions: {
        ...table.regions,
        "us-west-2": {
          ...west,
          auroraHour: { ...west.auroraHour, "db.r7g.large": undefined },
          auroraReplicatedWriteMillion: undefined,
        },
      },
    };
    const full = monthlyCost(plan, table, DEFAULT_USAGE, prod);
    const cost = monthlyCost(plan, missing, DEFAULT_USAGE, prod);
    // No Price List query reads the air-gapped vaults' storage yet: listed, never guessed.
    const isolated = [
      "isolated copies in isolated-vault (one full copy of the database) (us-east-1)",
      "isolated copies in recovery-isolated-vault (one full copy of the database) (us-west-2)",
    ];
    expect(full.unpriced).toEqual(isolated);
    expect(cost.unpriced).toEqual([
      "db.r7g.large Aurora instance (recovery-db-1) (us-west-2)",
      "db.r7g.large Aurora instance (recovery-db-2) (us-west-2)",
      `Aurora replicated writes into recovery-db (the writer's ${WRITES}) (us-west-2)`,
      ...isolated,
    ]);
    expect(cost.total).toBe(round(full.total - 2 * 219 - 0.52));
    // Another storage configuration than Aurora Standard is not priced as Standard.
    const optimized = structuredClone(plan);
    for (const c of optimized.resources)
      if (c.type === "aws:rds/cluster:Cluster")
        c.inputs.storageType = "aurora-iopt1";
    expect(
      monthlyCost(optimized, table, DEFAULT_USAGE, prod).unpriced,
    ).toContain(`${storage("primary-db")} (us-east-1)`);
  });

  it("leaves an RDS plan's lines as they were: Aurora's prices and the stack's size change none", () => {
    const rds = siteOf("m7g.large");
    const withoutAurora: PriceTable = {
      ...table,
      regions: Object.fromEntries(
        Object.entries(table.regions).map(([name, p]) => [
          name,
          Object.fromEntries(
            Object.entries(p).filter(([key]) => !key.startsWith("aurora")),
          ),
        ]),
      ),
    };
    expect(monthlyCost(rds, table, DEFAULT_USAGE, prod)).toEqual(
      monthlyCost(rds, withoutAurora, DEFAULT_USAGE),
    );
  });
});

const round = (n: number) => Math.round(n * 100) / 100;
