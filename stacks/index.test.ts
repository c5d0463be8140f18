import { ProgramError } from "@aws-dr/testing";
import { MINIMAL_CONFIG, runnerOf } from "./test-stack";

const run = runnerOf(MINIMAL_CONFIG);

describe("the aws-dr program", () => {
  it("creates every AWS resource with one of the two explicit regional providers", async () => {
    const { recorder } = await run({
      "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
    });
    const providers = recorder.ofType("pulumi:providers:aws");
    expect(providers.map((p) => [p.name, p.inputs.region])).toEqual([
      ["primary", "us-east-1"],
      ["recovery", "us-west-2"],
    ]);
    const awsResources = recorder.resources.filter(
      (r) => r.custom && r.type.startsWith("aws:"),
    );
    expect(awsResources.length).toBeGreaterThan(20);
    for (const r of awsResources) {
      expect({
        urn: r.urn,
        provider: providers.some((p) => p.urn === r.provider),
      }).toEqual({ urn: r.urn, provider: true });
    }
  });

  it("configures both providers against the recovery region's STS, so failover works with the primary down", async () => {
    const { recorder } = await run();
    expect(
      recorder.ofType("pulumi:providers:aws").map((p) => p.inputs.stsRegion),
    ).toEqual(["us-west-2", "us-west-2"]);
  });

  it("tags everything through the providers with environment, project and owner, the same at every tier and failover state", async () => {
    // Provider inputs travel JSON-encoded.
    const tags = async (overrides: Record<string, unknown> = {}) => {
      const { recorder } = await run(overrides);
      return ["primary", "recovery"].map(
        (name) =>
          JSON.parse(
            recorder.one("pulumi:providers:aws", name).inputs
              .defaultTags as string,
          ) as unknown,
      );
    };
    const expected = {
      tags: { environment: "test", project: "aws-dr", "managed-by": "pulumi" },
    };
    // A changed default tag updates every resource in both regions: a tier move or a failover
    // must not need the region that is down.
    expect(await tags()).toEqual([expected, expected]);
    expect(
      await tags({ "dr:tier": "pilot-light", "dr:failover": true }),
    ).toEqual([expected, expected]);
  });

  it("builds the primary site in the primary region and outputs the regions and URL", async () => {
    const { recorder, outputs } = await run();
    expect(recorder.one("aws:rds/instance:Instance", "primary-db").region).toBe(
      "us-east-1",
    );
    expect(recorder.one("aws:s3/bucket:Bucket", "primary-data").region).toBe(
      "us-east-1",
    );
    expect(outputs).toMatchObject({
      tier: "backup-restore",
      failover: false,
      primaryRegion: "us-east-1",
      recoveryRegion: "us-west-2",
      appUrl: "http://primary-alb.us-east-1.elb.amazonaws.com",
    });
  });

  it("points the app's DNS name at the primary ALB when a zone is configured", async () => {
    const { recorder, outputs } = await run({
      "dr:dns": { zoneId: "Z0123", recordName: "app.example.com" },
    });
    expect(recorder.one("aws:route53/record:Record").inputs.aliases).toEqual([
      expect.objectContaining({
        name: "primary-alb.us-east-1.elb.amazonaws.com",
      }),
    ]);
    expect(outputs.appUrl).toBe("http://app.example.com");
  });

  it("guards data only where dr:protectData is on", async () => {
    const guarded = (await run({ "dr:protectData": true })).recorder.one(
      "aws:rds/instance:Instance",
    );
    const open = (await run()).recorder.one("aws:rds/instance:Instance");
    expect([guarded.protect, guarded.inputs.deletionProtection]).toEqual([
      true,
      true,
    ]);
    expect([open.protect, open.inputs.deletionProtection]).toEqual([
      false,
      false,
    ]);
  });

  it("uses the configured database password as a secret", async () => {
    const { recorder } = await run({
      "dr:databasePassword": "a-long-enough-password",
    });
    expect(recorder.one("aws:rds/instance:Instance").inputs.password).toBe(
      "[secret]",
    );
    expect(
      recorder.ofType("random:index/randomPassword:RandomPassword"),
    ).toHaveLength(0);
  });

  it("rejects bad config before creating anything", async () => {
    const error = (await run({
      "dr:recoveryRegion": "us-east-1",
      "dr:app": { amiId: "ami-0123456789abcdef0", minSize: 9 },
    }).catch((e: unknown) => e)) as ProgramError;
    expect(error.message).toMatch(
      /dr:recoveryRegion = "us-east-1".*\n.*dr:app.minSize = 9/s,
    );
    expect(error.recorder.resources).toHaveLength(0);
  });
});
