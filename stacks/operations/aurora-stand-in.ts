import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import { physicalName, policyJson, serviceRole } from "@aws-dr/aws-kit";
import type { DeployContext } from "../wiring/context";
import type { Site } from "../wiring/site";

/**
 * The stand-in's code: creates one instance in the headless secondary (once: a retry finds it) and
 * throws until it is available, so the Region switch plan retries and its Aurora step runs only
 * then. Node.js 22's runtime carries the AWS SDK v3 RDS client.
 */
export const STAND_IN_CODE = `import { RDSClient, CreateDBInstanceCommand, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";

export const handler = async () => {
  const { CLUSTER, INSTANCE, INSTANCE_CLASS } = process.env;
  const rds = new RDSClient({});
  const found = await rds
    .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: INSTANCE }))
    .then((r) => r.DBInstances?.[0])
    .catch((e) => {
      if (e.name === "DBInstanceNotFoundFault") return undefined;
      throw e;
    });
  if (!found) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: INSTANCE,
        DBClusterIdentifier: CLUSTER,
        DBInstanceClass: INSTANCE_CLASS,
        Engine: "aurora-postgresql",
        PubliclyAccessible: false,
        Tags: [{ Key: "aws-dr:stand-in", Value: "true" }],
      }),
    );
    throw new Error(INSTANCE + " is being created in " + CLUSTER);
  }
  if (found.DBInstanceStatus !== "available")
    throw new Error(INSTANCE + " is " + found.DBInstanceStatus + ": waiting until it is available");
  return { instance: INSTANCE };
};
`;

/** The stand-in's identifier: fixed, so the runbook's command and the function agree. */
export function standInIdentifier(environment: string): string {
  return physicalName(environment, "recovery-db-stand-in");
}

/**
 * The function the Region switch plan runs before its Aurora step at a headless pilot light: a
 * global database fails over only to a secondary with an instance. It makes one, at the primary's
 * class, outside the program's state (the failover's resize step adds the program's own; the
 * runbook then removes it, docs/aurora.md#stand-in). Allowed to create and read that one
 * instance in that one cluster, and nothing else.
 */
export function auroraStandInFunction(
  ctx: DeployContext,
  recovery: Site,
): lambda.Function {
  const { cfg, providers, environment, accountId } = ctx;
  const opts = { provider: providers.recovery };
  const name = "aurora-stand-in";
  const functionName = physicalName(environment, name, { maxLength: 64 });
  const instance = standInIdentifier(environment);
  const logs = new cloudwatch.LogGroup(
    name,
    { name: `/aws/lambda/${functionName}`, retentionInDays: 90 },
    opts,
  );
  const role = serviceRole(name, "lambda.amazonaws.com", opts, {
    permissionsBoundary: cfg.iamPermissionsBoundary,
  });
  const policy = new iam.RolePolicy(
    name,
    {
      role: role.name,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CreateTheStandIn",
            Effect: "Allow",
            Action: [
              "rds:CreateDBInstance",
              "rds:DescribeDBInstances",
              "rds:AddTagsToResource",
            ],
            Resource: [
              pulumi.interpolate`arn:aws:rds:${cfg.recoveryRegion}:${accountId}:db:${instance}`,
              recovery.database.arn,
            ],
          },
          {
            Sid: "WriteItsLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [pulumi.interpolate`${logs.arn}:*`],
          },
        ],
      }),
    },
    { ...opts, parent: role },
  );
  return new lambda.Function(
    name,
    {
      name: functionName,
      description: `aws-dr ${environment}: adds an instance to the headless Aurora secondary in ${cfg.recoveryRegion} before the Region switch plan fails over to it`,
      runtime: "nodejs22.x",
      handler: "index.handler",
      role: role.arn,
      timeout: 60,
      code: new pulumi.asset.AssetArchive({
        "index.mjs": new pulumi.asset.StringAsset(STAND_IN_CODE),
      }),
      environment: {
        variables: {
          CLUSTER: recovery.database.identifier,
          INSTANCE: instance,
          INSTANCE_CLASS: cfg.database.instanceClass,
        },
      },
    },
    { ...opts, dependsOn: [logs, policy] },
  );
}
