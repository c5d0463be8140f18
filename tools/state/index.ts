// The state bootstrap (its own Pulumi project, tools/state): where every aws-dr stack keeps its
// Pulumi state and encrypts its secrets, such that both survive the loss of the primary region.
import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import { Provider } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { BucketReplication } from "@aws-dr/replication";
import { LogBucket, SecureBucket } from "@aws-dr/storage";
import { SECRETS_KEY_ALIAS, stateSettings } from "./settings";

/**
 * A state bucket in the primary region (versioned, SSE-KMS, TLS only, no public access, access
 * logged) replicated with RTC into one in the recovery region, and a multi-Region KMS key with a
 * replica there: `pulumi login` and `--secrets-provider awskms://` work from either region, and
 * the replica key decrypts what the primary key encrypted.
 */
async function main(): Promise<Record<string, unknown>> {
  const { primaryRegion, recoveryRegion, protect } = stateSettings(
    new pulumi.Config("state"),
  );
  const provider = (name: string, region: string) =>
    new Provider(name, {
      region: region as Region,
      // STS of the recovery region, like the stacks: answers when the primary region does not.
      stsRegion: recoveryRegion,
      defaultTags: { tags: { "aws-dr:purpose": "pulumi-state" } },
    });
  const primary = { provider: provider("primary", primaryRegion) };
  const recovery = { provider: provider("recovery", recoveryRegion) };
  const accountId = getCallerIdentityOutput({}, recovery).accountId;
  const guard = { protect, retainOnDelete: protect };

  const secretsKey = new kms.Key(
    "secrets-key",
    {
      description:
        "Encrypts aws-dr stack secrets (Pulumi awskms secrets provider)",
      multiRegion: true,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    },
    { ...primary, ...guard },
  );
  const secretsKeyReplica = new kms.ReplicaKey(
    "secrets-key-replica",
    {
      description:
        "Replica of the aws-dr secrets key: decrypts stack secrets when the primary region is down",
      primaryKeyArn: secretsKey.arn,
      deletionWindowInDays: 30,
    },
    { ...recovery, ...guard },
  );
  new kms.Alias(
    "secrets-key-alias",
    { name: SECRETS_KEY_ALIAS, targetKeyId: secretsKey.arn },
    primary,
  );
  new kms.Alias(
    "secrets-key-replica-alias",
    { name: SECRETS_KEY_ALIAS, targetKeyId: secretsKeyReplica.arn },
    recovery,
  );

  const bucket = (name: string, opts: { provider: Provider }) =>
    new SecureBucket(
      name,
      {
        protect,
        // Old state versions are the undo of a bad `pulumi up`: kept a year.
        noncurrentExpireDays: 365,
        accessLogBucket: new LogBucket(
          `${name}-logs`,
          { accountId, retentionDays: 365, protect },
          opts,
        ).name,
      },
      opts,
    );
  const state = bucket("state", primary);
  const stateReplica = bucket("state-replica", recovery);
  new BucketReplication(
    "state-replication",
    {
      source: {
        bucket: state.bucket,
        versioning: state.versioning,
        kmsKeyArn: state.kmsKey.arn,
      },
      destination: {
        bucket: stateReplica.bucket,
        versioning: stateReplica.versioning,
        kmsKeyArn: stateReplica.kmsKey.arn,
      },
    },
    primary,
  );
  const login = (name: pulumi.Output<string>, region: string) =>
    pulumi.interpolate`s3://${name}?region=${region}`;
  return {
    loginUrl: login(state.name, primaryRegion),
    recoveryLoginUrl: login(stateReplica.name, recoveryRegion),
    // No region in the URL: the CLI's AWS region picks the key (AWS_REGION), and the replica
    // decrypts what the primary encrypted (KMS finds a multi-Region key by the ciphertext). With
    // region= in the URL, the state would keep asking the dead region.
    secretsProvider: `awskms://${SECRETS_KEY_ALIAS}`,
    secretsKeyArn: secretsKey.arn,
    secretsKeyReplicaArn: secretsKeyReplica.arn,
  };
}

export = main;
