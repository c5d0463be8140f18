import { record } from "@aws-dr/testing";
import { SiteRecord, type SiteRecordArgs } from "./site-record";

const args: SiteRecordArgs = {
  zoneId: "Z123",
  recordName: "app.example.com",
  site: "recovery",
  weight: 0,
  target: { dnsName: "lb.example", zoneId: "ZLB", scheme: "https" },
  healthCheck: { path: "/health", intervalSeconds: 10, failureThreshold: 2 },
};

describe("SiteRecord", () => {
  it("is a weighted alias of the site's load balancer, with its own set identifier and health check", async () => {
    const rec = await record(() => new SiteRecord("app-recovery", args));
    expect(rec.one("aws:route53/record:Record").inputs).toMatchObject({
      zoneId: "Z123",
      name: "app.example.com",
      type: "A",
      setIdentifier: "recovery",
      weightedRoutingPolicies: [{ weight: 0 }],
      healthCheckId: "app-recovery-health-id",
      aliases: [
        { name: "lb.example", zoneId: "ZLB", evaluateTargetHealth: true },
      ],
    });
    expect(rec.one("aws:route53/healthCheck:HealthCheck").inputs).toMatchObject(
      {
        type: "HTTPS",
        fqdn: "lb.example",
        port: 443,
        resourcePath: "/health",
        requestInterval: 10,
        failureThreshold: 2,
      },
    );
  });

  it("checks a plain-HTTP site over HTTP on port 80", async () => {
    const rec = await record(
      () =>
        new SiteRecord("app-primary", {
          ...args,
          target: { ...args.target, scheme: "http" },
        }),
    );
    expect(rec.one("aws:route53/healthCheck:HealthCheck").inputs).toMatchObject(
      {
        type: "HTTP",
        port: 80,
      },
    );
  });

  it.each([256, -1, 1.5])(
    "refuses weight %s, which Route 53 would reject",
    async (weight) => {
      await expect(
        record(() => new SiteRecord("x", { ...args, weight })),
      ).rejects.toThrow(/not a Route 53 weight/);
    },
  );
});
