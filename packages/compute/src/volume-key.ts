import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import {
  accountRootStatement,
  createEncryptionKey,
  physicalName,
  policyJson,
} from "@aws-dr/aws-kit";

/**
 * The stack's own Auto Scaling service-linked role (AWSServiceRoleForAutoScaling_aws-dr-<stack>),
 * created before the volume keys that name it: KMS rejects a key policy naming a role that does not
 * exist yet, and the account's default role exists only after its first Auto Scaling group. A role
 * of our own (a grant would need the default role too) is certain to exist, and is ours to delete.
 * IAM is global: create it once, ahead of any failover.
 */
export function autoScalingRole(
  stack: string,
  opts: pulumi.CustomResourceOptions,
): iam.ServiceLinkedRole {
  return new iam.ServiceLinkedRole(
    "autoscaling-role",
    {
      awsServiceName: "autoscaling.amazonaws.com",
      // Role names allow 64 characters; "AWSServiceRoleForAutoScaling_" takes 29.
      customSuffix: physicalName(stack, "", { maxLength: 35 }),
      description: `Launches the ${stack} fleets of aws-dr with their customer-managed EBS keys`,
    },
    opts,
  );
}

export interface VolumeKeyArgs {
  accountId: pulumi.Input<string>;
  /** The Auto Scaling role that launches instances with volumes under this key. */
  autoScalingRoleArn: pulumi.Input<string>;
  /** Pulumi protect and retainOnDelete: AMIs and snapshots under the key die with it. */
  protect: boolean;
}

/**
 * A customer-managed KMS key for a region's EBS volumes and AMI copies, usable by the stack's Auto
 * Scaling role as AWS documents ("Required AWS KMS key policy for use with encrypted volumes").
 * Without it, an account whose default EBS key is a CMK fails every launch with Client.InternalError.
 */
export class VolumeKey extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(
    name: string,
    args: VolumeKeyArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:compute:VolumeKey", name, {}, opts);
    const role = { AWS: args.autoScalingRoleArn };
    const key = createEncryptionKey(name, {
      description: `Encrypts the ${name} fleet's volumes and AMI copies`,
      parent: this,
      protect: args.protect,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          accountRootStatement(args.accountId),
          {
            Sid: "AutoScalingUsesKey",
            Effect: "Allow",
            Principal: role,
            Action: [
              "kms:Encrypt",
              "kms:Decrypt",
              "kms:ReEncrypt*",
              "kms:GenerateDataKey*",
              "kms:DescribeKey",
            ],
            Resource: "*",
          },
          {
            Sid: "AutoScalingAttachesVolumes",
            Effect: "Allow",
            Principal: role,
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
          },
        ],
      }),
    });
    this.arn = key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
