import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { serviceRole } from "@aws-dr/core";

/**
 * The IAM role and instance profile a fleet's instances run as: Session Manager access instead of
 * SSH keys and open ports, nothing more. IAM is global and its control plane lives in us-east-1, so
 * a recovery fleet's profile is created ahead of failover, not during it.
 */
export class InstanceRole extends pulumi.ComponentResource {
  readonly profileArn: pulumi.Output<string>;

  constructor(
    name: string,
    _args: Record<string, never> = {},
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:compute:InstanceRole", name, {}, opts);
    const parent = { parent: this };
    const role = serviceRole(`${name}-role`, "ec2.amazonaws.com", parent);
    new iam.RolePolicyAttachment(
      `${name}-ssm`,
      {
        role: role.name,
        policyArn: iam.ManagedPolicy.AmazonSSMManagedInstanceCore,
      },
      parent,
    );
    this.profileArn = new iam.InstanceProfile(
      `${name}-profile`,
      { role: role.name },
      parent,
    ).arn;
    this.registerOutputs({ profileArn: this.profileArn });
  }
}
