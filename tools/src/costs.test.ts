import * as path from "node:path";
import type { Plan, PlannedResource } from "./evaluate";
import { DEFAULT_USAGE, monthlyCost, newestPriceTable } from "./costs";

const FIXTURES = path.join(__dirname, "fixtures");
const table = newestPriceTable(FIXTURES);

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

/** One site in us-east-1: 2 instances, one NAT gateway, an ALB, a Multi-AZ database, a key, a fast HTTPS check. */
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
    resource("aws:route53/healthCheck:HealthCheck", "app-primary-health", {
      type: "HTTPS",
      requestInterval: 10,
    }),
  ],
});

describe("monthly cost", () => {
  it("prices always-on capacity from the table: a hand-computed site comes to 516.60 USD", () => {
    const cost = monthlyCost(siteOf("m7g.large"), table!, DEFAULT_USAGE);
    expect(cost.lines.map((l) => [l.item, l.monthly])).toEqual([
      ["m7g.large instances (primary-asg minSize)", 146], // 2 x 730 h x 0.10
      ["gp3 root volumes (primary-asg)", 4], // 2 x 20 GB x 0.10
      ["NAT gateways (primary-vpc)", 36.5], // 1 x 730 h x 0.05
      ["load balancer primary-alb", 14.6], // 730 h x 0.02
      ["db.r7g.large Multi-AZ (primary-db)", 292], // 730 h x 0.40
      ["database storage (primary-db)", 20], // 100 GB x 0.20 (Multi-AZ)
      ["KMS keys", 1],
      ["Route 53 health checks", 0.5],
      ["health check features (HTTPS, 10 s interval)", 2],
    ]);
    expect(cost.total).toBe(516.6);
    expect(cost.unpriced).toEqual([]);
  });

  it("lists what the table has no price for and leaves it out of the total, never guessing", () => {
    const cost = monthlyCost(siteOf("c9.huge"), table!, DEFAULT_USAGE);
    expect(cost.unpriced).toEqual([
      "c9.huge instances (primary-asg minSize) (us-east-1)",
    ]);
    expect(cost.total).toBe(516.6 - 146);
  });
});
