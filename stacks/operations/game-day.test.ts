import type { Recording, RawStackConfig } from "@aws-dr/testing";
import { MINIMAL_CONFIG, runnerOf } from "../test-stack";

const run = async (overrides: RawStackConfig) =>
  (
    await runnerOf({
      ...MINIMAL_CONFIG,
      "dr:targets": { rtoMinutes: 60, rpoMinutes: 60 },
      "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
    })(overrides)
  ).recorder;

const plans: Record<string, Recording> = {};
beforeAll(async () => {
  const on = { "dr:gameDay": { enabled: true, durationMinutes: 15 } };
  plans.warm = await run({ "dr:tier": "warm-standby", ...on });
  plans.active = await run({ "dr:tier": "active-active", ...on });
  plans.pilot = await run({ "dr:tier": "pilot-light", ...on });
  plans.off = await run({ "dr:tier": "active-active" });
  plans.failover = await run({
    "dr:tier": "active-active",
    "dr:failover": true,
    ...on,
  });
});

const template = (rec: Recording) =>
  rec.one("aws:fis/experimentTemplate:ExperimentTemplate", "game-day");

describe("game day (dr:gameDay)", () => {
  it.each(["warm", "active"])(
    "%s: cuts the primary fleet's subnets off for the configured time, from the primary region",
    (state) => {
      const t = template(plans[state]);
      expect(t.region).toBe("us-east-1");
      expect(t.inputs.targets).toEqual([
        {
          name: "primary-fleet-subnets",
          resourceType: "aws:ec2:subnet",
          selectionMode: "ALL",
          resourceArns: [
            expect.stringMatching(
              /^arn:aws:ec2:us-east-1:123456789012:subnet\/subnet-primary-vpc-private-0-/,
            ),
            expect.stringMatching(
              /^arn:aws:ec2:us-east-1:123456789012:subnet\/subnet-primary-vpc-private-1-/,
            ),
          ],
        },
      ]);
      expect(t.inputs.actions).toEqual([
        {
          name: "disrupt-primary-fleet",
          actionId: "aws:network:disrupt-connectivity",
          parameters: [
            { key: "duration", value: "PT15M" },
            { key: "scope", value: "all" },
          ],
          target: { key: "Subnets", value: "primary-fleet-subnets" },
        },
      ]);
    },
  );

  it("stops by itself when the recovery site fails Route 53's health check: an alarm in the experiment's region", () => {
    const rec = plans.active;
    expect(template(rec).inputs.stopConditions).toEqual([
      {
        source: "aws:cloudwatch:alarm",
        value:
          "arn:aws:cloudwatch:us-east-1:123456789012:metricalarm/game-day-recovery-down",
      },
    ]);
    const alarm = rec.one(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "game-day-recovery-down",
    );
    expect(alarm.region).toBe("us-east-1");
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: "game-day-recovery-check-id" },
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    });
    expect(
      rec.one("aws:route53/healthCheck:HealthCheck", "game-day-recovery-check")
        .inputs,
    ).toMatchObject({
      fqdn: "recovery-alb.us-west-2.elb.amazonaws.com",
      resourcePath: "/health",
    });
  });

  it("runs as a role only FIS may assume, with AWS's network-fault policy", () => {
    const role = plans.active.one("aws:iam/role:Role", "game-day-fis");
    expect(JSON.stringify(role.inputs.assumeRolePolicy)).toContain(
      '"Service":"fis.amazonaws.com"',
    );
    expect(template(plans.active).inputs.roleArn).toBe(
      "arn:aws:iam::123456789012:role/game-day-fis",
    );
  });

  it("exists only when enabled, and not at pilot light, whose recovery fleet is at zero", () => {
    for (const rec of [plans.off, plans.pilot])
      expect(
        rec.ofType("aws:fis/experimentTemplate:ExperimentTemplate"),
      ).toEqual([]);
  });

  it("is left as it is by a failover: nothing in the primary region changes", () => {
    expect(template(plans.failover).inputs).toEqual(
      template(plans.active).inputs,
    );
  });
});
