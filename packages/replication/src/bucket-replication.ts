import * as pulumi from "@pulumi/pulumi";
import { serviceRole } from "@aws-dr/aws-kit";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";

/** The one replication rule's id: replication metrics are reported per rule. */
export const REPLICATION_RULE_ID = "everything";

export interface BucketReplicationArgs {
  source: {
    bucket: s3.Bucket;
    versioning: s3.BucketVersioning;
    kmsKeyArn: pulumi.Input<string>;
  };
  /** Bucket in the other region; its key must live in that region too. */
  destination: {
    bucket: s3.Bucket;
    versioning: s3.BucketVersioning;
    kmsKeyArn: pulumi.Input<string>;
  };
  /** The permissions boundary of its role (dr:iamPermissionsBoundary). */
  permissionsBoundary?: pulumi.Input<string>;
}

/**
 * S3 cross-region replication of every object (SSE-KMS ones included, re-encrypted with the
 * destination's key) and of delete markers, with Replication Time Control: 99.99% of objects
 * within 15 minutes, with metrics to alarm on. Lives in the source bucket's region.
 */
export class BucketReplication extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: BucketReplicationArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:replication:BucketReplication", name, {}, opts);
    const parent = { parent: this };
    const { source, destination } = args;

    const role = serviceRole(`${name}-role`, "s3.amazonaws.com", parent, {
      permissionsBoundary: args.permissionsBoundary,
    });
    new iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
              Resource: [source.bucket.arn],
            },
            {
              Effect: "Allow",
              Action: [
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAcl",
                "s3:GetObjectVersionTagging",
                // Needed when the destination has Object Lock.
                "s3:GetObjectRetention",
                "s3:GetObjectLegalHold",
              ],
              Resource: [pulumi.interpolate`${source.bucket.arn}/*`],
            },
            {
              Effect: "Allow",
              Action: [
                "s3:ReplicateObject",
                "s3:ReplicateDelete",
                "s3:ReplicateTags",
              ],
              Resource: [pulumi.interpolate`${destination.bucket.arn}/*`],
            },
            {
              Effect: "Allow",
              Action: ["kms:Decrypt"],
              Resource: [source.kmsKeyArn],
            },
            {
              Effect: "Allow",
              Action: ["kms:Encrypt", "kms:GenerateDataKey"],
              Resource: [destination.kmsKeyArn],
            },
          ],
        },
      },
      parent,
    );
    new s3.BucketReplicationConfig(
      name,
      {
        bucket: source.bucket.id,
        role: role.arn,
        rules: [
          {
            id: REPLICATION_RULE_ID,
            status: "Enabled",
            priority: 1,
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: {
              sseKmsEncryptedObjects: { status: "Enabled" },
            },
            destination: {
              bucket: destination.bucket.arn,
              storageClass: "STANDARD",
              encryptionConfiguration: {
                replicaKmsKeyId: destination.kmsKeyArn,
              },
              replicationTime: { status: "Enabled", time: { minutes: 15 } },
              metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            },
          },
        ],
      },
      // S3 refuses replication until versioning is on at both ends.
      { parent: this, dependsOn: [source.versioning, destination.versioning] },
    );
    this.registerOutputs({ roleArn: role.arn });
  }
}
