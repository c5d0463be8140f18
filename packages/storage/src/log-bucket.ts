import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { dataOptions } from "@aws-dr/aws-kit";
import { closeToPublic, tlsOnlyStatements } from "./secure-bucket";

export interface LogBucketArgs {
  accountId: pulumi.Input<string>;
  /** Days log objects are kept. */
  retentionDays: number;
  /** Pulumi protect and retainOnDelete, and no forceDestroy: logs are evidence. */
  protect: boolean;
}

/**
 * A region's access-log bucket: S3 server access logs of the data buckets and ALB access logs.
 * SSE-S3, because ALB log delivery accepts nothing else and S3 server access logs are not delivered
 * to a bucket whose default encryption is SSE-KMS. Otherwise as locked down as data buckets: no
 * public access, ACLs disabled (delivery is granted by bucket policy), TLS only, expiring by lifecycle.
 * `name` resolves only once the delivery policy is in place: an ALB refuses a bucket it cannot write.
 */
export class LogBucket extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;

  constructor(
    name: string,
    args: LogBucketArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:LogBucket", name, {}, opts);
    const parent = { parent: this };
    const bucket = new s3.Bucket(
      name,
      { forceDestroy: !args.protect },
      dataOptions(this, args.protect),
    );
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-sse`,
      {
        bucket: bucket.id,
        rules: [
          { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      parent,
    );
    const publicAccess = closeToPublic(name, bucket.id, parent);
    // Versioned like every bucket: a deleted or overwritten log object stays for the retention.
    const versioning = new s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.retentionDays },
            // A replaced or deleted log object goes a day later: versioning guards against
            // accidents, not a second retention period.
            noncurrentVersionExpiration: { noncurrentDays: 1 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    const objects = pulumi.interpolate`${bucket.arn}/*`;
    const policy = new s3.BucketPolicy(
      `${name}-delivery`,
      {
        bucket: bucket.id,
        policy: {
          Version: "2012-10-17",
          Statement: [
            ...tlsOnlyStatements(bucket.arn),
            {
              Sid: "S3ServerAccessLogs",
              Effect: "Allow",
              Principal: { Service: "logging.s3.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: objects,
              Condition: {
                StringEquals: { "aws:SourceAccount": args.accountId },
              },
            },
            {
              // The service principal AWS documents for every region (the per-region ELB accounts
              // are legacy), so no table and no lookup.
              Sid: "AlbAccessLogs",
              Effect: "Allow",
              Principal: {
                Service: "logdelivery.elasticloadbalancing.amazonaws.com",
              },
              Action: "s3:PutObject",
              Resource: pulumi.interpolate`${bucket.arn}/alb/*`,
            },
          ],
        },
      },
      { parent: this, dependsOn: [publicAccess] },
    );
    this.arn = bucket.arn;
    this.name = pulumi.all([bucket.bucket, policy.id]).apply(([b]) => b);
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
