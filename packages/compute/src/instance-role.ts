import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { serviceRole } from "@aws-dr/aws-kit";

export interface InstanceRoleArgs {
  /** The app's own permissions (an IAM policy document), added as the role's inline policy. */
  appPolicy?: pulumi.Input<string>;
  /** The role's permissions boundary (dr:iamPermissionsBoundary). */
  permissionsBoundary?: pulumi.Input<string>;
}

/**
 * The IAM role and instance profile a fleet's instances run as: Session Manager access instead of
 * SSH keys and open ports, and the app's own policy, nothing more. IAM is global and its control plane lives in us-east-1, so
 * a recovery fleet's profile is created ahead of failover, not during it.
 */
export class InstanceRole extends pulumi.ComponentResource {
  readonly profileArn: pulumi.Output<string>;

  constructor(
    name: string,
    args: InstanceRoleArgs = {},
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:compute:InstanceRole", name, {}, opts);
    const parent = { parent: this };
    const role = serviceRole(`${name}-role`, "ec2.amazonaws.com", parent, {
      permissionsBoundary: args.permissionsBoundary,
    });
    new iam.RolePolicyAttachment(
      `${name}-ssm`,
      {
        role: role.name,
        policyArn: iam.ManagedPolicy.AmazonSSMManagedInstanceCore,
      },
      parent,
    );
    if (args.appPolicy)
      new iam.RolePolicy(
        `${name}-app`,
        { role: role.name, policy: args.appPolicy },
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
