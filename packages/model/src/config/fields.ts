import { z } from "zod";
import {
  checkEc2InstanceType,
  checkRdsInstanceClass,
  INSTANCE_LIST_SOURCE,
  type InstanceCheck,
} from "../instance-types";

import { KNOWN_REGIONS } from "../regions";
import { isAwsCron, isRegion, isVpcCidr } from "../validators";

/** The suggestion of an instance check that has one. */
export const describeSuggestion = (c: InstanceCheck) =>
  c.kind === "known" ? "" : c.suggestion;

/** Reports one problem: the key's path under dr:, the value, what is allowed. */
export type Fail = (
  path: (string | number)[],
  input: unknown,
  message: string,
) => void;

export const isKnownRegion = (value: string) =>
  isRegion(value) && KNOWN_REGIONS.has(value);
export const region = z.string().superRefine((value, ctx) => {
  if (!isRegion(value))
    ctx.addIssue({
      code: "custom",
      input: value,
      message: "must be an AWS region code such as us-east-1",
    });
  else if (!KNOWN_REGIONS.has(value))
    ctx.addIssue({
      code: "custom",
      input: value,
      message:
        "is not an AWS region of the commercial partition the AWS provider knows (see `aws account list-regions`)",
    });
});
export const vpcCidr = z.string().refine(isVpcCidr, {
  error:
    "must be an aligned IPv4 CIDR block from /16 to /23, such as 10.0.0.0/16",
});
export const cron = z.string().refine(isAwsCron, {
  error: "must be an AWS cron expression such as cron(0 5 ? * * *)",
});
export const amiId = z.string().regex(/^ami-[0-9a-f]{8,17}$/, {
  error: "must be an AMI id such as ami-0123456789abcdef0",
});
export const acmArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, {
    error: "must be an ACM certificate ARN",
  });
/** An IAM managed policy ARN (customer managed, any path, or AWS managed). */
export const iamPolicyArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/,
    {
      error:
        "must be an IAM policy ARN such as arn:aws:iam::123456789012:policy/aws-dr-prod-boundary",
    },
  );
export const count = (max: number) => z.int().min(0).max(max);
/** An RDS instance class such as db.t4g.medium. */
export const ec2InstanceType = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
    error: "must be an EC2 instance type such as t3.small",
  })
  .refine((v) => checkEc2InstanceType(v).kind !== "unknown-family", {
    error: (issue) =>
      `no EC2 instance family ${JSON.stringify(String(issue.input).split(".")[0])} is known: did you mean ${describeSuggestion(checkEc2InstanceType(String(issue.input)))}? (the known families: ${INSTANCE_LIST_SOURCE})`,
  });

export const dbInstanceClass = z
  .string()
  .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, {
    error: "must be an RDS instance class such as db.t4g.medium",
  })
  .refine((v) => checkRdsInstanceClass(v).kind !== "unknown-family", {
    error: (issue) =>
      `no RDS instance class family ${JSON.stringify(String(issue.input).split(".")[1])} is known: did you mean ${describeSuggestion(checkRdsInstanceClass(String(issue.input)))}? (the known families: ${INSTANCE_LIST_SOURCE})`,
  });

/** A replica tier's dr:<tier>.replicaInstanceClass: one definition for every tier that has it. */
export const replicaInstanceClass = dbInstanceClass
  .optional()
  .describe(
    "Instance class of the standby replica; the failover's resize step (dr:failoverStep=resize) gives it dr:database.instanceClass. Unset: the primary's.",
  );
export const days = (max: number) => z.int().min(1).max(max);
