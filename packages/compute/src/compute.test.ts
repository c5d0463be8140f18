import * as aws from "@pulumi/aws";
import { record } from "@aws-dr/testing";
import { Fleet } from "./fleet";
import { LoadBalancer } from "./load-balancer";
import { Network } from "./network";

const provider = () => new aws.Provider("west", { region: "us-west-2" });

describe("Network", () => {
  const build = (natGateways: "single" | "one-per-az") =>
    record(
      () =>
        new Network(
          "site",
          {
            cidrBlock: "10.0.0.0/16",
            availabilityZones: 3,
            natGateways,
            appPort: 8080,
            publicPorts: [80, 443],
          },
          { provider: provider() },
        ),
    );

  it("spans the configured AZs with public, private and isolated subnets", async () => {
    const vpc = (await build("single")).one("awsx:ec2:Vpc");
    expect(vpc.inputs).toMatchObject({
      cidrBlock: "10.0.0.0/16",
      numberOfAvailabilityZones: 3,
      natGateways: { strategy: "Single" },
    });
    expect(
      (vpc.inputs.subnetSpecs as { type: string }[]).map((s) => s.type),
    ).toEqual(["Public", "Private", "Isolated"]);
    expect(vpc.region).toBe("us-west-2");
  });

  it("puts a NAT gateway in every AZ when asked", async () => {
    expect(
      (await build("one-per-az")).one("awsx:ec2:Vpc").inputs.natGateways,
    ).toEqual({ strategy: "OnePerAz" });
  });

  it("lets only the ALB reach the fleet and only the fleet reach the database", async () => {
    const rec = await build("single");
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

  it("refuses a name that autonaming would push past AWS's 32 characters", async () => {
    await expect(
      record(() => new LoadBalancer("a-very-long-site-name-x", args)),
    ).rejects.toThrow(/too long/);
  });
});

describe("Fleet", () => {
  const build = () =>
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
          },
          { provider: provider() },
        ),
    );

  it("launches instances with IMDSv2 required and an encrypted root volume", async () => {
    const lt = (await build()).one(
      "aws:ec2/launchTemplate:LaunchTemplate",
    ).inputs;
    expect(lt.metadataOptions).toMatchObject({ httpTokens: "required" });
    expect(lt.blockDeviceMappings).toEqual([
      expect.objectContaining({
        ebs: expect.objectContaining({ encrypted: "true", volumeSize: 30 }),
      }),
    ]);
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

  it("scales on average CPU by target tracking", async () => {
    const policy = (await build()).one("aws:autoscaling/policy:Policy").inputs;
    expect(policy).toMatchObject({
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: expect.objectContaining({ targetValue: 55 }),
    });
  });
});
