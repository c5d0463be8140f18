import { parseConfig, unusedSharedKeys } from "@aws-dr/model";
import type {
  Recording,
  RecordedResource,
  RawStackConfig,
} from "@aws-dr/testing";
import { STACK_SCHEMA } from "../settings";
import { MINIMAL_CONFIG, runnerOf } from "../test-stack";

const base: RawStackConfig = {
  ...MINIMAL_CONFIG,
  "dr:tier": "active-active",
  "dr:protectData": true,
  "dr:app": { amiId: "ami-0123456789abcdef0", minSize: 3, maxSize: 9 },
  "dr:network": {
    primaryCidr: "10.10.0.0/16",
    recoveryCidr: "10.20.0.0/16",
    primaryZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    recoveryZones: ["us-west-2a", "us-west-2b"],
  },
  "dr:database": { instanceClass: "db.r7g.large", multiAz: true },
  "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
  "dr:targets": { rtoMinutes: 30, rpoMinutes: 15 },
};
const run = async (overrides: RawStackConfig = {}) =>
  (await runnerOf(base)(overrides)).recorder;

const plans: Record<string, Recording> = {};
beforeAll(async () => {
  const states: [string, RawStackConfig][] = [
    ["active", {}],
    ["failover", { "dr:failover": true }],
    ["weighted", { "dr:dns": { ...dnsOf(base), weights: w(80, 20) } }],
    ["sessions", { "dr:sessionTable": true }],
    ["pilot", { "dr:tier": "pilot-light" }],
    ["warm", { "dr:tier": "warm-standby" }],
  ];
  for (const [name, overrides] of states) plans[name] = await run(overrides);
});

function dnsOf(config: RawStackConfig) {
  return config["dr:dns"] as Record<string, unknown>;
}
function w(primary: number, recovery: number) {
  return { primary, recovery };
}
const group = (rec: Recording, site: string) =>
  rec.one("aws:autoscaling/group:Group", `${site}-asg`).inputs;
const weights = (rec: Recording) =>
  Object.fromEntries(
    rec
      .ofType("aws:route53/record:Record")
      .map((r) => [
        r.inputs.setIdentifier,
        (r.inputs.weightedRoutingPolicies as { weight: number }[])[0].weight,
      ]),
  );
/** The app's endpoint parameters (under /dr/: the deployed state's copy is not the app's). */
const parameters = (rec: Recording) =>
  Object.fromEntries(
    rec
      .ofType("aws:ssm/parameter:Parameter")
      .filter((p) => String(p.inputs.name).startsWith("/dr/"))
      .map((p) => [
        `${p.region} ${String(p.inputs.name)}`,
        p.inputs.insecureValue,
      ]),
  );
const byUrn = (rec: Recording) =>
  new Map(rec.resources.map((r) => [r.urn, r] as const));

describe("active-active", () => {
  it("runs two full sites: the recovery fleet is the primary's size, in every recovery zone, scaled on CPU", () => {
    const rec = plans.active;
    for (const site of ["primary", "recovery"]) {
      expect(group(rec, site)).toMatchObject({ minSize: 3, maxSize: 9 });
      expect(group(rec, site).desiredCapacity).toBeUndefined();
    }
    expect(group(rec, "recovery").vpcZoneIdentifiers).toEqual([
      expect.stringMatching(/^subnet-recovery-vpc-private-0-/),
      expect.stringMatching(/^subnet-recovery-vpc-private-1-/),
    ]);
    expect(
      rec
        .ofType("aws:autoscaling/policy:Policy")
        .map((p) => [p.name, p.inputs.policyType]),
    ).toEqual(
      expect.arrayContaining([
        ["primary-cpu", "TargetTrackingScaling"],
        ["recovery-cpu", "TargetTrackingScaling"],
      ]),
    );
    // Instances run there every day: the recovery network has its NAT gateways.
    const vpc = rec.one("awsx:ec2:Vpc", "recovery-vpc").inputs;
    expect(vpc.natGateways).toEqual({ strategy: "Single" });
  });

  it("keeps the replica from pilot light, sized and made highly available like the primary for a full site's reads", () => {
    const replica = plans.active.one(
      "aws:rds/instance:Instance",
      "recovery-db",
    );
    expect(replica.region).toBe("us-west-2");
    expect(replica.inputs).toMatchObject({
      replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:primary-db",
      instanceClass: "db.r7g.large",
      multiAz: true,
    });
  });

  it("splits traffic by weight, each record health-checked: evenly by default, as configured otherwise", () => {
    expect(weights(plans.active)).toEqual({ primary: 50, recovery: 50 });
    expect(weights(plans.weighted)).toEqual({ primary: 80, recovery: 20 });
    // The primary's check is combined with the Region switch plan's (region-switch.test.ts).
    const checks = Object.fromEntries(
      plans.active
        .ofType("aws:route53/record:Record")
        .map((r) => [r.inputs.setIdentifier, r.inputs.healthCheckId]),
    );
    expect(checks).toEqual({
      primary: "app-primary-combined-id",
      recovery: "app-recovery-health-id",
    });
  });

  it("sends all traffic to the recovery site on failover, with no record left that leads to the stale primary", () => {
    expect(weights(plans.failover)).toEqual({ recovery: 1 });
  });

  it("keeps one weighted record per site across tier moves, so Route 53 is never asked for two routing policies", () => {
    const records = (rec: Recording) =>
      rec
        .ofType("aws:route53/record:Record")
        .map((r) => [
          r.urn,
          Object.keys(r.inputs).filter((k) => /RoutingPolic/.test(k)),
        ]);
    expect(records(plans.pilot)).toEqual(records(plans.active));
    expect(records(plans.warm)).toEqual(records(plans.active));
  });

  describe("the way to the primary's writer", () => {
    const rec = () => plans.active;
    const routes = (region: string) =>
      rec()
        .ofType("aws:ec2/route:Route")
        .filter(
          (r) => r.name.startsWith("sites-peering") && r.region === region,
        )
        .map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrBlock]);

    it("peers the two VPCs across regions: requested from the recovery region, accepted in the primary's", () => {
      const request = rec().one(
        "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
      );
      expect(request.region).toBe("us-west-2");
      expect(request.inputs).toMatchObject({
        vpcId: "vpc-recovery-vpc",
        peerVpcId: "vpc-primary-vpc",
        peerRegion: "us-east-1",
      });
      expect(request.inputs.autoAccept).toBeUndefined();
      const accept = rec().one(
        "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
      );
      expect(accept.region).toBe("us-east-1");
      expect(accept.inputs).toMatchObject({
        vpcPeeringConnectionId: "sites-peering-id",
        autoAccept: true,
      });
    });

    it("routes only the recovery fleet's subnets to the primary VPC, and only the primary database's subnets back", () => {
      expect(routes("us-west-2")).toEqual([
        ["rtb-recovery-vpc-private-0", "10.10.0.0/16"],
        ["rtb-recovery-vpc-private-1", "10.10.0.0/16"],
      ]);
      expect(routes("us-east-1")).toEqual([
        ["rtb-primary-vpc-isolated-0", "10.20.0.0/16"],
        ["rtb-primary-vpc-isolated-1", "10.20.0.0/16"],
        ["rtb-primary-vpc-isolated-2", "10.20.0.0/16"],
      ]);
      for (const route of rec()
        .ofType("aws:ec2/route:Route")
        .filter((r) => r.name.startsWith("sites-peering")))
        expect(route.inputs.vpcPeeringConnectionId).toBe(
          "sites-peering-accept-id",
        );
    });

    it("lets only the recovery fleet's subnets reach the primary database, on PostgreSQL's port only", () => {
      const rules = (type: string, group: string) =>
        rec()
          .ofType(type)
          .filter(
            (r) => r.inputs.securityGroupId === group && r.inputs.cidrIpv4,
          )
          .map((r) => [
            r.region,
            r.inputs.cidrIpv4,
            r.inputs.fromPort,
            r.inputs.toPort,
          ]);
      expect(
        rules(
          "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
          "primary-db-sg-id",
        ),
      ).toEqual([
        ["us-east-1", "10.20.0.0/19", 5432, 5432],
        ["us-east-1", "10.20.64.0/19", 5432, 5432],
      ]);
      expect(
        rules(
          "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
          "recovery-app-sg-id",
        ).filter(([, , port]) => port === 5432),
      ).toEqual([
        ["us-west-2", "10.10.48.0/20", 5432, 5432],
        ["us-west-2", "10.10.112.0/20", 5432, 5432],
        ["us-west-2", "10.10.176.0/20", 5432, 5432],
      ]);
    });

    it("exists at active-active only", () => {
      for (const other of [plans.pilot, plans.warm]) {
        expect(
          other.ofType("aws:ec2/vpcPeeringConnection:VpcPeeringConnection"),
        ).toEqual([]);
        expect(
          other.resources.filter((r) =>
            /recovery-app-to-primary-db|primary-db-from-recovery-app/.test(
              r.name,
            ),
          ),
        ).toEqual([]);
      }
    });
  });

  it("tells each region's app its writer, local reader and serving region; failover changes only the recovery region's", () => {
    const primaryParams = {
      "us-east-1 /dr/aws-dr/test/db/writer":
        "primary-db.us-east-1.rds.amazonaws.com",
      "us-east-1 /dr/aws-dr/test/db/reader":
        "primary-db.us-east-1.rds.amazonaws.com",
      "us-east-1 /dr/aws-dr/test/serving-region": "us-east-1",
    };
    expect(parameters(plans.active)).toEqual({
      ...primaryParams,
      "us-west-2 /dr/aws-dr/test/db/writer":
        "primary-db.us-east-1.rds.amazonaws.com",
      "us-west-2 /dr/aws-dr/test/db/reader":
        "recovery-db.us-west-2.rds.amazonaws.com",
      "us-west-2 /dr/aws-dr/test/serving-region": "us-east-1",
    });
    expect(parameters(plans.failover)).toEqual({
      ...primaryParams,
      "us-west-2 /dr/aws-dr/test/db/writer":
        "recovery-db.us-west-2.rds.amazonaws.com",
      "us-west-2 /dr/aws-dr/test/db/reader":
        "recovery-db.us-west-2.rds.amazonaws.com",
      "us-west-2 /dr/aws-dr/test/serving-region": "us-west-2",
    });
  });

  it("lets both fleets read their stack's parameters, and nothing else in SSM", () => {
    for (const name of ["primary-app", "recovery-instance-app"]) {
      const policy = JSON.parse(
        String(
          plans.active.one("aws:iam/rolePolicy:RolePolicy", name).inputs.policy,
        ),
      ) as { Statement: { Action: string[]; Resource: string[] }[] };
      expect(policy.Statement).toEqual([
        expect.objectContaining({
          Action: [
            "ssm:GetParameter",
            "ssm:GetParameters",
            "ssm:GetParametersByPath",
          ],
          // The path for GetParametersByPath, the parameters under it for the others.
          Resource: [
            "arn:aws:ssm:us-east-1:123456789012:parameter/dr/aws-dr/test",
            "arn:aws:ssm:us-east-1:123456789012:parameter/dr/aws-dr/test/*",
            "arn:aws:ssm:us-west-2:123456789012:parameter/dr/aws-dr/test",
            "arn:aws:ssm:us-west-2:123456789012:parameter/dr/aws-dr/test/*",
          ],
        }),
      ]);
    }
  });

  describe("moving from pilot light or warm standby and back", () => {
    it.each(["pilot", "warm"])(
      "grows the recovery fleet and resizes the replica in place from %s: no replacement, no removal",
      (from) => {
        const before = byUrn(plans[from]);
        const after = byUrn(plans.active);
        const removed = [...before.keys()].filter((urn) => !after.has(urn));
        expect(removed).toEqual([]);
        const asg = (m: Map<string, RecordedResource>) =>
          [...m.values()].find(
            (r) => r.name === "recovery-asg",
          ) as RecordedResource;
        expect(asg(before).urn).toBe(asg(after).urn);
        expect(asg(before).inputs.minSize).not.toBe(asg(after).inputs.minSize);
        expect(asg(after).inputs).toMatchObject({ minSize: 3, maxSize: 9 });
        const replica = (m: Map<string, RecordedResource>) =>
          [...m.values()].find(
            (r) =>
              r.name === "recovery-db" &&
              r.type === "aws:rds/instance:Instance",
          ) as RecordedResource;
        const changed = Object.keys(replica(after).inputs).filter(
          (k) =>
            JSON.stringify(replica(before).inputs[k]) !==
            JSON.stringify(replica(after).inputs[k]),
        );
        // Multi-AZ for a full site's reads: an RDS in-place modification, applied immediately.
        expect(changed).toEqual(["multiAz"]);
        expect(replica(after).inputs.applyImmediately).toBe(true);
      },
    );

    it("adds only DR machinery going up: peering, routes, rules, NAT, and the capacity alarm of a fleet that takes traffic", () => {
      const before = byUrn(plans.warm);
      const added = plans.active.resources
        .filter((r) => !before.has(r.urn))
        .map((r) => r.type);
      expect(new Set(added)).toEqual(
        new Set([
          "aws-dr:compute:InterRegionPeering",
          "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
          "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
          "aws:ec2/route:Route",
          "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
          "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
          "aws:cloudwatch/metricAlarm:MetricAlarm",
        ]),
      );
      expect(
        plans.active
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .filter((a) => !before.has(a.urn))
          .map((a) => a.name),
      ).toEqual(["recovery-capacity"]);
    });
  });

  describe("the session table (dr:sessionTable)", () => {
    it("is a global table with a replica in each region, each under its own region's key, with point-in-time recovery", () => {
      const table = plans.sessions.one("aws:dynamodb/table:Table", "sessions");
      expect(table.region).toBe("us-east-1");
      expect(table.inputs).toMatchObject({
        billingMode: "PAY_PER_REQUEST",
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        serverSideEncryption: {
          enabled: true,
          kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/sessions-key",
        },
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
        replicas: [
          {
            regionName: "us-west-2",
            kmsKeyArn:
              "arn:aws:kms:us-west-2:123456789012:key/sessions-replica-key",
            pointInTimeRecovery: true,
            deletionProtectionEnabled: true,
            propagateTags: true,
          },
        ],
      });
      expect([table.protect, table.retainOnDelete]).toEqual([true, true]);
      expect(
        plans.sessions.one("aws:kms/key:Key", "sessions-replica-key").region,
      ).toBe("us-west-2");
    });

    it("is absent unless configured, and the fleets may then use exactly that table in both regions", () => {
      expect(plans.active.ofType("aws:dynamodb/table:Table")).toEqual([]);
      const policy = JSON.parse(
        String(
          plans.sessions.one("aws:iam/rolePolicy:RolePolicy", "primary-app")
            .inputs.policy,
        ),
      ) as { Statement: { Sid: string; Resource: string[] }[] };
      expect(
        policy.Statement.find((s) => s.Sid === "UseSessionTable")?.Resource,
      ).toEqual([
        "arn:aws:dynamodb:us-east-1:123456789012:table/sessions",
        "arn:aws:dynamodb:us-west-2:123456789012:table/sessions",
      ]);
    });
  });
});

describe("dr:dns.weights at other tiers", () => {
  const config = (tier: string) =>
    parseConfig(
      {
        ...Object.fromEntries(
          Object.entries(MINIMAL_CONFIG).map(([k, v]) => [k.slice(3), v]),
        ),
        tier,
        dns: {
          zoneId: "Z0123",
          recordName: "app.example.com",
          weights: w(80, 20),
        },
      },
      STACK_SCHEMA,
    );

  it("is kept and warned about where the tier sends traffic to one site", () => {
    expect(
      unusedSharedKeys(config("warm-standby"), STACK_SCHEMA.profiles),
    ).toEqual([
      expect.stringContaining(
        "dr:dns.weights is set but not used at dr:tier warm-standby",
      ),
    ]);
    expect(
      unusedSharedKeys(config("active-active"), STACK_SCHEMA.profiles),
    ).toEqual([]);
  });
});

describe("traffic after capacity", () => {
  it("raises a site's record weight only after that site's fleet, so an upgrade grows capacity first", () => {
    // On the SiteRecord: its records register only once it is, after what it depends on.
    const dependsOn = (name: string) =>
      plans.active.one("aws-dr:dns:SiteRecord", name).dependsOn;
    const fleet = (site: string) =>
      plans.active.one("aws:autoscaling/group:Group", `${site}-asg`).urn;
    expect(dependsOn("app-recovery")).toContain(fleet("recovery"));
    // ... and for its database: reads there before users are (a new replica, a resize).
    expect(dependsOn("app-recovery")).toContain(
      plans.active.one("aws:rds/instance:Instance", "recovery-db").urn,
    );
    expect(dependsOn("app-primary")).toContain(fleet("primary"));
    expect(dependsOn("app-primary")).not.toContain(fleet("recovery"));
  });

  it("changes a fleet whose record takes no traffic only after that record, so a downgrade drains it first", () => {
    const recoveryRecords = (rec: Recording) =>
      rec
        .ofType("aws:route53/record:Record")
        .filter((r) => r.name.startsWith("app-recovery"))
        .map((r) => r.urn);
    const fleetDependsOn = (rec: Recording) =>
      rec.one("aws:autoscaling/group:Group", "recovery-asg").dependsOn;
    // Warm standby: weight 0, so active-active -> warm standby moves the weight, then shrinks.
    expect(recoveryRecords(plans.warm)).not.toEqual([]);
    expect(fleetDependsOn(plans.warm)).toEqual(
      expect.arrayContaining(recoveryRecords(plans.warm)),
    );
    // Active-active: the record waits for the fleet instead (above), never both ways.
    for (const urn of recoveryRecords(plans.active))
      expect(fleetDependsOn(plans.active)).not.toContain(urn);
  });
});
