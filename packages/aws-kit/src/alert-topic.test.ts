import { Provider } from "@pulumi/aws/provider";
import { record } from "@aws-dr/testing";
import {
  ALERT_PUBLISHERS,
  AlertTopic,
  type AlertTopicArgs,
} from "./alert-topic";

interface Statement {
  Principal: unknown;
  Action: string | string[];
  Resource: unknown;
}

const build = (args: Partial<AlertTopicArgs> = {}) =>
  record(
    () =>
      new AlertTopic(
        "alerts",
        { accountId: "123456789012", ...args },
        { provider: new Provider("east", { region: "us-east-1" }) },
      ),
  );

const statements = (policy: unknown) =>
  (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;

describe("AlertTopic", () => {
  it("encrypts the topic with a key of its own that EventBridge, AWS Backup and CloudWatch may use", async () => {
    const rec = await build();
    const key = rec.one("aws:kms/key:Key").inputs;
    expect(key.enableKeyRotation).toBe(true);
    expect(statements(key.policy)).toEqual([
      expect.objectContaining({
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "kms:*",
      }),
      expect.objectContaining({
        Principal: {
          Service: [
            "events.amazonaws.com",
            "backup.amazonaws.com",
            "cloudwatch.amazonaws.com",
          ],
        },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      }),
    ]);
    expect(rec.one("aws:sns/topic:Topic").inputs.kmsMasterKeyId).toBe(
      "arn:aws:kms:us-east-1:123456789012:key/alerts-key",
    );
  });

  it("lets those services publish to the topic", async () => {
    const policy = (await build()).one(
      "aws:sns/topicPolicy:TopicPolicy",
    ).inputs;
    const topicArn = "arn:aws:sns:us-east-1:123456789012:topic/alerts";
    expect(policy.arn).toBe(topicArn);
    expect(statements(policy.policy)).toEqual([
      expect.objectContaining({
        Principal: { Service: ALERT_PUBLISHERS },
        Action: "sns:Publish",
        Resource: topicArn,
      }),
    ]);
  });

  it("subscribes the email address only when one is given", async () => {
    const subscribed = await build({ email: "oncall@example.com" });
    expect(
      subscribed.one("aws:sns/topicSubscription:TopicSubscription").inputs,
    ).toMatchObject({
      topic: "arn:aws:sns:us-east-1:123456789012:topic/alerts",
      protocol: "email",
      endpoint: "oncall@example.com",
    });
    expect(
      (await build()).ofType("aws:sns/topicSubscription:TopicSubscription"),
    ).toHaveLength(0);
  });
});
