import type * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";

/** An IAM role that only the given AWS service (e.g. "backup.amazonaws.com") may assume. */
export function serviceRole(
  name: string,
  service: string,
  opts: pulumi.CustomResourceOptions,
): iam.Role {
  return new iam.Role(
    name,
    {
      assumeRolePolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
          },
        ],
      },
    },
    opts,
  );
}
