import * as pulumi from "@pulumi/pulumi";
import * as sns from "@pulumi/aws/sns";
import { createEncryptionKey } from "./encryption-key";
import { accountRootStatement, policyJson } from "./iam";

/** The AWS services that publish alerts to the topic. */
export const ALERT_PUBLISHERS = [
  "events.amazonaws.com",
  "backup.amazonaws.com",
  "cloudwatch.amazonaws.com",
];

export interface AlertTopicArgs {
  /** The account whose services may publish. */
  accountId: pulumi.Input<string>;
  /** Address subscribed to the topic; none by default (subscribe your pager yourself). */
  email?: string;
}

/**
 * One region's alert topic: SNS, encrypted with a key of its own that the publishing AWS services
 * (EventBridge, AWS Backup, CloudWatch alarms) may use. One per region: a notification or alarm
 * targets its own region's topic, and a topic in the primary region dies with it.
 */
export class AlertTopic extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(
    name: string,
    args: AlertTopicArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:core:AlertTopic", name, {}, opts);
    const parent = { parent: this };
    // Not data: it encrypts messages in flight, so it goes with the topic, never protected.
    const key = createEncryptionKey(`${name}-key`, {
      description: `Encrypts the ${name} alert topic`,
      parent: this,
      protect: false,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          accountRootStatement(args.accountId),
          {
            Sid: "ServicesPublishEncrypted",
            Effect: "Allow",
            Principal: { Service: ALERT_PUBLISHERS },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
          },
        ],
      }),
    });
    const topic = new sns.Topic(name, { kmsMasterKeyId: key.arn }, parent);
    new sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topic.arn,
        policy: policyJson({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ServicesOfThisAccountPublish",
              Effect: "Allow",
              Principal: { Service: ALERT_PUBLISHERS },
              Action: "sns:Publish",
              Resource: topic.arn,
              // Only for this account's rules, alarms and vaults (confused-deputy guard).
              Condition: {
                StringEquals: { "aws:SourceAccount": args.accountId },
              },
            },
          ],
        }),
      },
      parent,
    );
    if (args.email) {
      new sns.TopicSubscription(
        `${name}-email`,
        { topic: topic.arn, protocol: "email", endpoint: args.email },
        parent,
      );
    }
    this.arn = topic.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
