import { Provider } from "@pulumi/aws/provider";
import { record } from "@aws-dr/testing";
import { Fleet } from "./fleet";
import { LoadBalancer } from "./load-balancer";
import { Network, type NetworkArgs } from "./network";
import { subnetLayout } from "./subnet-layout";
import { autoScalingRole, VolumeKey } from "./volume-key";

const provider = () => new Provider("west", { region: "us-west-2" });

describe("Network", () => {
  const zones = ["us-west-2a", "us-west-2b", "us-west-2c"];
  const build = (extra: Partial<NetworkArgs> = {}) =>
    record(
      () =>
        new Network(
          "site",
          {
            cidrBlock: "10.0.0.0/16",
            zones,
            natGateways: "single",
            appPort: 8080,
            publicPorts: [80, 443],
            ...extra,
          },
          { provider: provider() },
        ),
    );
  const cidrBlocks = (inputs: Record<string, unknown>) =>
    (inputs.subnetSpecs as { cidrBlocks: string[] }[]).map((s) => s.cidrBlocks);

  it("spans the named zones with public, private and isolated subnets at fixed blocks", async () => {
    const vpc = (await build()).one("awsx:ec2:Vpc");
    const layout = subnetLayout("10.0.0.0/16", 3);
    expect(vpc.inputs).toMatchObject({
      cidrBlock: "10.0.0.0/16",
      availabilityZoneNames: zones,
      subnetStrategy: "Auto",
      subnetSpecs: [
        { type: "Public", cidrBlocks: layout.public },
        { type: "Private", cidrBlocks: layout.private },
        { type: "Isolated", cidrBlocks: layout.isolated },
      ],
    });
    expect(vpc.region).toBe("us-west-2");
  });

  it("never counts zones, which would make awsx look them up in a region that may be down", async () => {
    expect((await build()).one("awsx:ec2:Vpc").inputs).not.toHaveProperty(
      "numberOfAvailabilityZones",
    );
  });

  it("keeps the existing zones' subnet blocks when a zone is added", async () => {
    const two = await build({ zones: zones.slice(0, 2) });
    const three = await build();
    const before = cidrBlocks(two.one("awsx:ec2:Vpc").inputs);
    const after = cidrBlocks(three.one("awsx:ec2:Vpc").inputs);
    after.forEach((blocks, kind) => {
      expect(blocks).toHaveLength(3);
      expect(blocks.slice(0, 2)).toEqual(before[kind]);
    });
  });

  it.each([
    ["none", "None"],
    ["single", "Single"],
    ["one-per-az", "OnePerAz"],
  ] as const)(
    "with natGateways=%s uses NAT strategy %s",
    async (natGateways, strategy) => {
      expect(
        (await build({ natGateways })).one("awsx:ec2:Vpc").inputs.natGateways,
      ).toEqual({ strategy });
    },
  );

  it("makes a database subnet group over the isolated subnets", async () => {
    const group = (await build()).one("aws:rds/subnetGroup:SubnetGroup");
    expect(group.name).toBe("site-db-subnets");
    expect(group.inputs.subnetIds).toEqual([
      expect.stringMatching(/^subnet-site-vpc-isolated-0-/),
      expect.stringMatching(/^subnet-site-vpc-isolated-1-/),
      expect.stringMatching(/^subnet-site-vpc-isolated-2-/),
    ]);
  });

  it("lets only the ALB reach the fleet and only the fleet reach the database", async () => {
    const rec = await build();
    const ingress = rec
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .map((r) => r.inputs);
    expect(ingress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          securityGroupId: "site-app-sg-id",
          referencedSecurityGroupId: "site-alb-sg-id",
          fromPort: 8080,
          toPort: 8080,
        }),
        expect.objectContaining({
          securityGroupId: "site-db-sg-id",
          referencedSecurityGroupId: "site-app-sg-id",
          fromPort: 5432,
          toPort: 5432,
        }),
      ]),
    );
    const open = ingress.filter((r) => r.cidrIpv4 === "0.0.0.0/0");
    expect(open.map((r) => [r.securityGroupId, r.fromPort])).toEqual([
      ["site-alb-sg-id", 80],
      ["site-alb-sg-id", 443],
    ]);
  });
});

describe("LoadBalancer", () => {
  const args = {
    vpcId: "vpc-1",
    subnetIds: ["a", "b"],
    securityGroupId: "sg-1",
    targetPort: 8080,
    healthCheckPath: "/healthz",
    accessLogsBucket: "logs",
  };

  it("serves HTTPS with a TLS 1.2+ policy and redirects HTTP when given a certificate", async () => {
    const rec = await record(
      () =>
        new LoadBalancer(
          "web",
          {
            ...args,
            certificateArn:
              "arn:aws:acm:us-east-1:123456789012:certificate/abc",
          },
          { provider: provider() },
        ),
    );
    expect(rec.one("aws:lb/listener:Listener", "https").inputs).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
    expect(
      rec.one("aws:lb/listener:Listener", "http").inputs.defaultActions,
    ).toEqual([expect.objectContaining({ type: "redirect" })]);
  });

  it("serves plain HTTP when no certificate is configured", async () => {
    const rec = await record(
      () => new LoadBalancer("web", args, { provider: provider() }),
    );
    expect(
      rec.ofType("aws:lb/listener:Listener").map((l) => l.inputs.port),
    ).toEqual([80]);
    expect(rec.one("aws:lb/targetGroup:TargetGroup").inputs).toMatchObject({
      port: 8080,
      healthCheck: expect.objectContaining({ path: "/healthz" }),
    });
    expect(rec.one("aws:lb/loadBalancer:LoadBalancer").inputs).toMatchObject({
      internal: false,
      dropInvalidHeaderFields: true,
    });
  });

  it("writes access logs to the log bucket under alb/<name>", async () => {
    const rec = await record(
      () => new LoadBalancer("web", args, { provider: provider() }),
    );
    expect(
      rec.one("aws:lb/loadBalancer:LoadBalancer").inputs.accessLogs,
    ).toEqual({ bucket: "logs", prefix: "alb/web", enabled: true });
  });

  it("refuses a name that autonaming would push past AWS's 32 characters", async () => {
    await expect(
      record(() => new LoadBalancer("a-very-long-site-name-x", args)),
    ).rejects.toThrow(/too long/);
  });
});

describe("Fleet", () => {
  const build = (
    extra: { waitForCapacity?: boolean; capacityAlarmTopicArn?: string } = {},
  ) =>
    record(
      () =>
        new Fleet(
          "app",
          {
            subnetIds: ["p1", "p2"],
            securityGroupId: "sg",
            targetGroupArn: "tg",
            amiId: "ami-0123456789abcdef0",
            instanceType: "t3.small",
            minSize: 2,
            maxSize: 6,
            cpuTargetPercent: 55,
            volumeSizeGb: 30,
            volumeKmsKeyArn: "volume-key-arn",
            autoScalingRoleArn: "autoscaling-role-arn",
            ...extra,
          },
          { provider: provider() },
        ),
    );

  it("alarms when fewer than minSize instances serve for 5 minutes, where asked, from the group's own metric", async () => {
    const rec = await build({ capacityAlarmTopicArn: "topic-arn" });
    expect(
      rec.one("aws:autoscaling/group:Group").inputs.enabledMetrics,
    ).toEqual(["GroupInServiceInstances"]);
    expect(
      rec.one("aws:cloudwatch/metricAlarm:MetricAlarm", "app-capacity").inputs,
    ).toMatchObject({
      namespace: "AWS/AutoScaling",
      metricName: "GroupInServiceInstances",
      threshold: 2,
      comparisonOperator: "LessThanThreshold",
      evaluationPeriods: 5,
      alarmActions: ["topic-arn"],
    });
    expect(
      (await build()).ofType("aws:cloudwatch/metricAlarm:MetricAlarm"),
    ).toEqual([]);
  });

  it("waits for capacity by default, and not at all where the fleet must not hold a run hostage", async () => {
    const group = async (extra?: { waitForCapacity?: boolean }) =>
      (await build(extra)).one("aws:autoscaling/group:Group").inputs;
    expect(await group()).not.toHaveProperty("waitForCapacityTimeout");
    expect(await group({ waitForCapacity: false })).toMatchObject({
      waitForCapacityTimeout: "0",
    });
  });

  it("launches instances with IMDSv2 required and a root volume under the volume key", async () => {
    const lt = (await build()).one(
      "aws:ec2/launchTemplate:LaunchTemplate",
    ).inputs;
    expect(lt.metadataOptions).toMatchObject({ httpTokens: "required" });
    expect(lt.blockDeviceMappings).toEqual([
      expect.objectContaining({
        ebs: expect.objectContaining({
          encrypted: "true",
          kmsKeyId: "volume-key-arn",
          volumeSize: 30,
        }),
      }),
    ]);
    expect(lt).not.toHaveProperty("tagSpecifications");
    expect(lt.imageId).toBe("ami-0123456789abcdef0");
  });

  it("bounds the group by min/max and never pins desiredCapacity", async () => {
    const asg = (await build()).one("aws:autoscaling/group:Group").inputs;
    expect(asg).toMatchObject({
      minSize: 2,
      maxSize: 6,
      vpcZoneIdentifiers: ["p1", "p2"],
      targetGroupArns: ["tg"],
      healthCheckType: "ELB",
    });
    expect(asg).not.toHaveProperty("desiredCapacity");
  });

  it("launches the template's latest version number, so a new template rolls the fleet", async () => {
    const asg = (await build()).one("aws:autoscaling/group:Group").inputs;
    expect(asg.launchTemplate).toEqual({ id: "app-lt-id", version: "1" });
    expect(asg.instanceRefresh).toMatchObject({ strategy: "Rolling" });
  });

  it("launches as the Auto Scaling role the volume key allows", async () => {
    const asg = (await build()).one("aws:autoscaling/group:Group").inputs;
    expect(asg.serviceLinkedRoleArn).toBe("autoscaling-role-arn");
  });

  it("scales on average CPU by target tracking", async () => {
    const policy = (await build()).one("aws:autoscaling/policy:Policy").inputs;
    expect(policy).toMatchObject({
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: expect.objectContaining({ targetValue: 55 }),
    });
  });
});

describe("autoScalingRole", () => {
  const suffix = async (stack: string) => {
    const rec = await record(() => autoScalingRole(stack, {}));
    const role = rec.one("aws:iam/serviceLinkedRole:ServiceLinkedRole").inputs;
    expect(role.awsServiceName).toBe("autoscaling.amazonaws.com");
    return role.customSuffix as string;
  };

  it("is the stack's own Auto Scaling service-linked role", async () => {
    expect(await suffix("prod")).toBe("aws-dr-prod");
  });

  it("keeps a long stack's role suffix within 35 characters, so the role name fits IAM's 64", async () => {
    const long = await suffix("a-very-long-stack-name-for-a-feature-branch");
    expect(long).toMatch(/^aws-dr-a-very-long/);
    expect(long.length).toBeLessThanOrEqual(35);
  });
});

describe("VolumeKey", () => {
  interface Statement {
    Sid: string;
    Principal: unknown;
    Action: string | string[];
    Condition?: unknown;
  }
  const build = (protect: boolean) =>
    record(
      () =>
        new VolumeKey(
          "volumes",
          {
            accountId: "123456789012",
            autoScalingRoleArn: "autoscaling-role-arn",
            protect,
          },
          { provider: provider() },
        ),
    );

  it("lets the Auto Scaling role use the key and attach volumes, and the account administer it", async () => {
    const key = (await build(false)).one("aws:kms/key:Key").inputs;
    expect(key.enableKeyRotation).toBe(true);
    const { Statement } = JSON.parse(key.policy as string) as {
      Statement: Statement[];
    };
    const role = { AWS: "autoscaling-role-arn" };
    expect(Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "kms:*",
      }),
      expect.objectContaining({
        Principal: role,
        Action: [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:DescribeKey",
        ],
      }),
      expect.objectContaining({
        Principal: role,
        Action: "kms:CreateGrant",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      }),
    ]);
  });

  it.each([true, false])(
    "with protect=%s protects and retains the key accordingly",
    async (protect) => {
      expect((await build(protect)).one("aws:kms/key:Key")).toMatchObject({
        protect,
        retainOnDelete: protect,
      });
    },
  );
});
