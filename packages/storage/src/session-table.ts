import * as pulumi from "@pulumi/pulumi";
import * as dynamodb from "@pulumi/aws/dynamodb";
import { createEncryptionKey, dataOptions } from "@aws-dr/aws-kit";

export interface SessionTableArgs {
  /** The region of the second replica (the first is this component's region). */
  replicaRegion: string;
  /** A provider for that region: the replica's KMS key lives there. */
  replicaProvider: pulumi.ProviderResource;
  /** Deletion protection on both replicas, Pulumi protect and retainOnDelete on table and keys. */
  protect: boolean;
}

/**
 * A DynamoDB global table for session state: a replica in each region, each writable and under its
 * own region's KMS key, with point-in-time recovery on both. Items expire by their `expiresAt`
 * (epoch seconds) attribute. Both regions read and write locally, so a site loss loses only what
 * had not yet replicated (usually under a second). The replica is managed through the table's
 * region, so nothing here changes on failover.
 */
export class SessionTable extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  /** The key of each replica: callers need to use them through DynamoDB. */
  readonly keyArns: pulumi.Output<string>[];

  constructor(
    name: string,
    args: SessionTableArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:SessionTable", name, {}, opts);
    const key = (keyName: string, provider?: pulumi.ProviderResource) =>
      createEncryptionKey(keyName, {
        description: `Encrypts the ${name} session table`,
        parent: this,
        protect: args.protect,
        provider,
      });
    const localKey = key(`${name}-key`);
    const replicaKey = key(`${name}-replica-key`, args.replicaProvider);
    const table = new dynamodb.Table(
      name,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        ttl: { attributeName: "expiresAt", enabled: true },
        // Global tables replicate through the stream.
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        serverSideEncryption: { enabled: true, kmsKeyArn: localKey.arn },
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: args.protect,
        replicas: [
          {
            regionName: args.replicaRegion,
            kmsKeyArn: replicaKey.arn,
            pointInTimeRecovery: true,
            deletionProtectionEnabled: args.protect,
            propagateTags: true,
          },
        ],
      },
      dataOptions(this, args.protect),
    );
    this.name = table.name;
    this.arn = table.arn;
    this.keyArns = [localKey.arn, replicaKey.arn];
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}
