import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";

/**
 * A role's `permissionsBoundary` input when there is one (dr:iamPermissionsBoundary), else no input
 * at all: a stack without the key registers its roles exactly as before.
 */
export function boundaryArgs(
  permissionsBoundary: pulumi.Input<string> | undefined,
): { permissionsBoundary?: pulumi.Input<string> } {
  return permissionsBoundary === undefined ? {} : { permissionsBoundary };
}

export interface ServiceRoleOptions {
  /** Only on behalf of this account's resources (the confused-deputy guard). */
  sourceAccount?: pulumi.Input<string>;
  /** The managed policy that caps the role (dr:iamPermissionsBoundary). */
  permissionsBoundary?: pulumi.Input<string>;
}

/**
 * An IAM role that only the given AWS service (e.g. "backup.amazonaws.com") may assume; with
 * `sourceAccount`, only on behalf of that account's resources (the confused-deputy guard); with
 * `permissionsBoundary`, capped by that managed policy.
 */
export function serviceRole(
  name: string,
  service: string,
  opts: pulumi.CustomResourceOptions,
  { sourceAccount, permissionsBoundary }: ServiceRoleOptions = {},
): iam.Role {
  return new iam.Role(
    name,
    {
      ...boundaryArgs(permissionsBoundary),
      assumeRolePolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            ...(sourceAccount !== undefined
              ? {
                  Condition: {
                    StringEquals: { "aws:SourceAccount": sourceAccount },
                  },
                }
              : {}),
          },
        ],
      },
    },
    opts,
  );
}

/** A typed IAM policy document as the JSON string some inputs (KMS key policies) take. */
export function policyJson(
  document: iam.PolicyDocument,
): pulumi.Output<string> {
  return pulumi.jsonStringify(document);
}

/** The key-policy statement that keeps a KMS key administrable by the account's IAM policies. */
export function accountRootStatement(
  accountId: pulumi.Input<string>,
): iam.PolicyStatement {
  return {
    Sid: "AccountAdministersKeyThroughIam",
    Effect: "Allow",
    Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}
