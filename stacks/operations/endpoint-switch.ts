import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import { physicalName, policyJson, serviceRole } from "@aws-dr/aws-kit";
import { ENDPOINT_PATHS } from "@aws-dr/dns";
import type { DeployContext } from "../wiring/context";
import type { Site } from "../wiring/site";

/**
 * The function the Region switch plan runs in the region it activates: it points that region's
 * writer and serving-region parameters at that region's own database, once RDS says it is no
 * longer a replica, has an endpoint, and is in no state that takes no writes (rebooting, stopped,
 * failed, ...). Modifying and backing-up take writes: ARC's promotion may go on to convert the
 * instance to Multi-AZ and take a first backup, and waiting for those would hold the writer and
 * the traffic step for nothing (the endpoint's address never changes). It throws until then, so
 * the plan retries. Node.js 22's runtime carries the AWS SDK v3 clients it uses.
 */
export const ENDPOINT_SWITCH_CODE = `import { RDSClient, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { SSMClient, PutParameterCommand } from "@aws-sdk/client-ssm";

const TAKES_NO_WRITES = [
  "creating", "rebooting", "starting", "stopping", "stopped", "failed", "storage-full",
  "inaccessible-encryption-credentials", "incompatible-parameters", "incompatible-restore",
  "restore-error", "deleting",
];

export const handler = async () => {
  const { DB_INSTANCE, WRITER_PARAMETER, SERVING_REGION_PARAMETER, AWS_REGION } = process.env;
  const { DBInstances } = await new RDSClient({}).send(
    new DescribeDBInstancesCommand({ DBInstanceIdentifier: DB_INSTANCE }),
  );
  const db = DBInstances?.[0];
  if (db?.ReadReplicaSourceDBInstanceIdentifier)
    throw new Error(DB_INSTANCE + " is still a replica: waiting for its promotion");
  if (!db?.DBInstanceStatus || TAKES_NO_WRITES.includes(db.DBInstanceStatus))
    throw new Error(DB_INSTANCE + " is " + db?.DBInstanceStatus + ": waiting until it takes writes");
  const writer = db?.Endpoint?.Address;
  if (!writer) throw new Error(DB_INSTANCE + " has no endpoint yet");
  const ssm = new SSMClient({});
  await ssm.send(new PutParameterCommand({ Name: WRITER_PARAMETER, Value: writer, Overwrite: true }));
  await ssm.send(
    new PutParameterCommand({ Name: SERVING_REGION_PARAMETER, Value: AWS_REGION, Overwrite: true }),
  );
  return { writer, servingRegion: AWS_REGION };
};
`;

/**
 * One endpoint-switch function per region (ARC requires one in each of the plan's regions and runs
 * the activating region's), each allowed to read its own region's database and write its own
 * region's two parameters, and nothing else. The values it writes are those `dr:failover=true`
 * publishes in the recovery region (and the primary region always publishes), so the program
 * agrees with it once the failover's config is set.
 */
export function endpointSwitchFunctions(
  ctx: DeployContext,
  sites: { primary: Site; recovery: Site },
  parameterPrefix: string,
): lambda.Function[] {
  const { cfg, providers, environment, accountId } = ctx;
  const regions = { primary: cfg.primaryRegion, recovery: cfg.recoveryRegion };
  return (["primary", "recovery"] as const).map((id) => {
    const opts = { provider: providers[id] };
    const name = `endpoint-switch-${id}`;
    const functionName = physicalName(environment, name, { maxLength: 64 });
    const region = regions[id];
    const parameter = (path: string) =>
      pulumi.interpolate`arn:aws:ssm:${region}:${accountId}:parameter${parameterPrefix}/${path}`;
    // Made ahead of the function, so the function needs no right to create log groups.
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
              Sid: "ReadThisRegionsDatabase",
              Effect: "Allow",
              Action: ["rds:DescribeDBInstances"],
              Resource: [sites[id].database.arn],
            },
            {
              Sid: "PointThisRegionsParameters",
              Effect: "Allow",
              Action: ["ssm:PutParameter"],
              Resource: [
                parameter(ENDPOINT_PATHS.writer),
                parameter(ENDPOINT_PATHS.servingRegion),
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
        description: `aws-dr ${environment}: points ${region}'s endpoint parameters at ${region}'s database (Region switch plan)`,
        runtime: "nodejs22.x",
        handler: "index.handler",
        role: role.arn,
        timeout: 60,
        code: new pulumi.asset.AssetArchive({
          "index.mjs": new pulumi.asset.StringAsset(ENDPOINT_SWITCH_CODE),
        }),
        environment: {
          variables: {
            DB_INSTANCE: sites[id].database.identifier,
            WRITER_PARAMETER: `${parameterPrefix}/${ENDPOINT_PATHS.writer}`,
            SERVING_REGION_PARAMETER: `${parameterPrefix}/${ENDPOINT_PATHS.servingRegion}`,
          },
        },
      },
      { ...opts, dependsOn: [logs, policy] },
    );
  });
}
