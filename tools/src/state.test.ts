// The state bootstrap (tools/state): state and secrets usable from either region.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ProgramError, runProgram, type PlanRecorder } from "@aws-dr/testing";
import stateProgram = require("../state/index");
import { REPO_ROOT } from "./stack-config";

const shipped = (
  parse(
    fs.readFileSync(
      path.join(REPO_ROOT, "tools", "state", "Pulumi.shared.yaml"),
      "utf8",
    ),
  ) as { config: Record<string, unknown> }
).config;

let rec: PlanRecorder;
let outputs: Record<string, unknown>;
beforeAll(async () => {
  ({ recorder: rec, outputs } = await runProgram(
    stateProgram,
    "aws-dr-state",
    "shared",
    shipped,
  ));
});

describe("the state bootstrap", () => {
  it("makes a multi-Region secrets key with a replica in the recovery region, one alias in both", () => {
    const key = rec.one("aws:kms/key:Key", "secrets-key");
    expect(key.region).toBe("us-east-1");
    expect(key.inputs).toMatchObject({
      multiRegion: true,
      enableKeyRotation: true,
    });
    const replica = rec.one(
      "aws:kms/replicaKey:ReplicaKey",
      "secrets-key-replica",
    );
    expect(replica.region).toBe("us-west-2");
    expect(replica.inputs.primaryKeyArn).toBe(
      "arn:aws:kms:us-east-1:123456789012:key/secrets-key",
    );
    expect([key.protect, replica.protect, replica.retainOnDelete]).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      rec
        .ofType("aws:kms/alias:Alias")
        .map((a) => [a.region, a.inputs.name, a.inputs.targetKeyId]),
    ).toEqual([
      [
        "us-east-1",
        "alias/aws-dr-pulumi-secrets",
        "arn:aws:kms:us-east-1:123456789012:key/secrets-key",
      ],
      [
        "us-west-2",
        "alias/aws-dr-pulumi-secrets",
        "arn:aws:kms:us-west-2:123456789012:replicakey/secrets-key-replica",
      ],
    ]);
  });

  it("keeps state in a versioned, KMS-encrypted, TLS-only, private bucket replicated to the recovery region", () => {
    for (const [name, region] of [
      ["state", "us-east-1"],
      ["state-replica", "us-west-2"],
    ]) {
      const of = (type: string, suffix: string) =>
        rec.ofType(type).find((r) => r.name === `${name}${suffix}`);
      expect(of("aws:s3/bucket:Bucket", "")?.region).toBe(region);
      expect(of("aws:s3/bucket:Bucket", "")?.protect).toBe(true);
      expect(
        of("aws:s3/bucketVersioning:BucketVersioning", "-versioning")?.inputs
          .versioningConfiguration,
      ).toEqual({ status: "Enabled" });
      expect(
        of(
          "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
          "-public-access",
        )?.inputs,
      ).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const sse = JSON.stringify(
        of(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "-sse",
        )?.inputs,
      );
      expect(sse).toContain('"sseAlgorithm":"aws:kms"');
      expect(
        JSON.stringify(
          of("aws:s3/bucketPolicy:BucketPolicy", "-tls-only")?.inputs.policy,
        ),
      ).toContain("aws:SecureTransport");
    }
    const replication = rec.one(
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      "state-replication",
    );
    expect(replication.region).toBe("us-east-1");
    expect(JSON.stringify(replication.inputs.rules)).toContain(
      '"bucket":"arn:aws:s3:::state-replica"',
    );
  });

  it("prints the login URLs of both regions and one secrets provider without a region, so AWS_REGION picks the key", () => {
    expect(outputs).toMatchObject({
      loginUrl: "s3://state?region=us-east-1",
      recoveryLoginUrl: "s3://state-replica?region=us-west-2",
      secretsProvider: "awskms://alias/aws-dr-pulumi-secrets",
    });
    expect(outputs).not.toHaveProperty("recoverySecretsProvider");
  });

  it("refuses one region for both before creating anything", async () => {
    const error = (await runProgram(stateProgram, "aws-dr-state", "shared", {
      ...shipped,
      "state:recoveryRegion": "us-east-1",
    }).catch((e: unknown) => e)) as ProgramError;
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toContain(
      'state:recoveryRegion = "us-east-1": must differ from state:primaryRegion',
    );
    expect(error.recorder.resources).toHaveLength(0);
  });
});
