import * as pulumi from "@pulumi/pulumi";
import type * as iam from "@pulumi/aws/iam";
import { policyJson } from "@aws-dr/aws-kit";
import { SessionTable } from "@aws-dr/storage";
import type { DeployContext } from "./context";

/** What the app may use besides its database, in both regions, at every tier. */
export interface AppAccess {
  /** Where the endpoint parameters live: `/dr/<project>/<env>`. */
  parameterPrefix: string;
  /** The session table (dr:sessionTable), when configured. */
  sessionTable?: SessionTable;
  /** The fleets' instance-role policy: read the parameters, use the session table. */
  policy: pulumi.Output<string>;
}

/**
 * The app's own access in both regions, the same at every tier and failover state so no switch
 * touches it: the session table (a global table, replicated both ways) and the policy that lets
 * each fleet read its endpoint parameters and use the table.
 */
export function buildAppAccess(ctx: DeployContext): AppAccess {
  const { cfg, providers, environment, accountId } = ctx;
  // SSM refuses names that start with "aws" or "ssm", as the project's name does: hence "/dr".
  const parameterPrefix = `/dr/${pulumi.getProject()}/${environment}`;
  const sessionTable = cfg.sessionTable
    ? new SessionTable(
        "sessions",
        {
          replicaRegion: cfg.recoveryRegion,
          replicaProvider: providers.recovery,
          protect: cfg.protectData,
        },
        { provider: providers.primary },
      )
    : undefined;
  const regions = [cfg.primaryRegion, cfg.recoveryRegion];
  const statements: pulumi.Input<iam.PolicyStatement>[] = [
    {
      Sid: "ReadEndpointParameters",
      Effect: "Allow",
      Action: [
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
      ],
      // The path itself for GetParametersByPath, the parameters under it for the others.
      Resource: regions.flatMap((region) =>
        ["", "/*"].map(
          (suffix) =>
            pulumi.interpolate`arn:aws:ssm:${region}:${accountId}:parameter${parameterPrefix}${suffix}`,
        ),
      ),
    },
  ];
  if (sessionTable)
    statements.push(
      {
        Sid: "UseSessionTable",
        Effect: "Allow",
        Action: [
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:Query",
          "dynamodb:ConditionCheckItem",
        ],
        // The same table name in both regions.
        Resource: regions.map(
          (region) =>
            pulumi.interpolate`arn:aws:dynamodb:${region}:${accountId}:table/${sessionTable.name}`,
        ),
      },
      {
        // The tables' keys leave their use to IAM (the default key policy): only through DynamoDB.
        Sid: "UseSessionTableKeys",
        Effect: "Allow",
        Action: [
          "kms:Decrypt",
          "kms:Encrypt",
          "kms:GenerateDataKey",
          "kms:DescribeKey",
        ],
        Resource: sessionTable.keyArns,
        Condition: {
          StringEquals: {
            "kms:ViaService": regions.map(
              (region) => `dynamodb.${region}.amazonaws.com`,
            ),
          },
        },
      },
    );
  return {
    parameterPrefix,
    sessionTable,
    policy: policyJson({ Version: "2012-10-17", Statement: statements }),
  };
}
