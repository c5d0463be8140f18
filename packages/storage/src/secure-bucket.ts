import * as pulumi from "@pulumi/pulumi";
import type * as iam from "@pulumi/aws/iam";
import type * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import { createEncryptionKey, dataOptions } from "@aws-dr/aws-kit";

/** Deny statements that keep every request to a bucket on TLS 1.2 or newer. */
export function tlsOnlyStatements(
  bucketArn: pulumi.Output<string>,
): iam.PolicyStatement[] {
  const everything = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
  return [
    {
      Sid: "DenyInsecureTransport",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOutdatedTls",
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ].map((deny) => ({
    ...deny,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: everything,
  }));
}

/**
 * Blocks every public access path and disables ACLs (the owner owns every object, delivery services
 * included: they are granted by bucket policy). Returns the block: S3 rejects a bucket policy while
 * it is still being applied, so policies depend on it.
 */
export function closeToPublic(
  name: string,
  bucket: pulumi.Input<string>,
  parent: { parent: pulumi.Resource },
): s3.BucketPublicAccessBlock {
  new s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
    parent,
  );
  return new s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    parent,
  );
}

export interface SecureBucketArgs {
  /** Encrypt with this key; default a new key of the bucket's own. */
  kmsKey?: kms.Key;
  /**
   * Object Lock in compliance mode with this default retention in days. May be turned on for an
   * existing bucket (BucketObjectLockConfiguration does that on a versioned bucket); it can never be
   * turned off again.
   */
  objectLockDays?: number;
  /** Bucket (name) receiving S3 server access logs, in the same region (see LogBucket). */
  accessLogBucket: pulumi.Input<string>;
  /** Days before noncurrent versions move to Glacier Flexible Retrieval. Default: they stay. */
  noncurrentToGlacierDays?: number;
  /** Days before noncurrent versions expire. Default: kept forever. */
  noncurrentExpireDays?: number;
  /** Pulumi protect and retainOnDelete on the bucket and key, and no forceDestroy. */
  protect: boolean;
  /** Bucket policy statements beside the TLS-only denies (a delivery service's grant), given the bucket's ARN; none by default. */
  policyStatements?: (
    bucketArn: pulumi.Output<string>,
  ) => iam.PolicyStatement[];
}

/**
 * An S3 bucket hardened for data: versioned, SSE-KMS with a customer key, every public access path
 * blocked, ACLs disabled, TLS 1.2+ only, incomplete uploads cleaned up.
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: s3.Bucket;
  readonly kmsKey: kms.Key;
  /** Versioning must be on before replication is configured; depend on this. */
  readonly versioning: s3.BucketVersioning;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;

  constructor(
    name: string,
    args: SecureBucketArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:SecureBucket", name, {}, opts);
    const parent = { parent: this };
    const { protect } = args;

    this.kmsKey =
      args.kmsKey ??
      createEncryptionKey(`${name}-key`, {
        description: `Encrypts objects in the ${name} bucket`,
        parent: this,
        protect,
      });
    // No objectLockEnabled here: on the bucket it forces a new bucket, whose replacement would
    // start empty (replication does not copy existing objects) and, unprotected, delete the old.
    this.bucket = new s3.Bucket(
      name,
      { forceDestroy: !protect },
      dataOptions(this, protect),
    );
    const bucket = this.bucket.id;

    this.versioning = new s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-sse`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: this.kmsKey.arn,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    const publicAccess = closeToPublic(name, bucket, parent);
    new s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket,
        policy: {
          Version: "2012-10-17",
          Statement: [
            ...tlsOnlyStatements(this.bucket.arn),
            ...(args.policyStatements?.(this.bucket.arn) ?? []),
          ],
        },
      },
      // S3 rejects a policy while the public access block is still being applied.
      { parent: this, dependsOn: [publicAccess] },
    );
    new s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "noncurrent-versions",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            noncurrentVersionTransitions: args.noncurrentToGlacierDays
              ? [
                  {
                    noncurrentDays: args.noncurrentToGlacierDays,
                    storageClass: "GLACIER",
                  },
                ]
              : undefined,
            noncurrentVersionExpiration: args.noncurrentExpireDays
              ? { noncurrentDays: args.noncurrentExpireDays }
              : undefined,
          },
        ],
      },
      { parent: this, dependsOn: [this.versioning] },
    );
    new s3.BucketLogging(
      `${name}-access-logs`,
      {
        bucket,
        targetBucket: args.accessLogBucket,
        targetPrefix: `s3/${name}/`,
      },
      parent,
    );
    if (args.objectLockDays !== undefined) {
      new s3.BucketObjectLockConfiguration(
        `${name}-object-lock`,
        {
          bucket,
          objectLockEnabled: "Enabled",
          rule: {
            defaultRetention: { mode: "COMPLIANCE", days: args.objectLockDays },
          },
        },
        { parent: this, dependsOn: [this.versioning] },
      );
    }

    this.arn = this.bucket.arn;
    this.name = this.bucket.bucket;
    this.registerOutputs({
      arn: this.arn,
      name: this.name,
      kmsKeyArn: this.kmsKey.arn,
    });
  }
}
