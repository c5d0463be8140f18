import { z } from "zod";
import { acmArn, amiId, count } from "./fields";

/** dr:app: the workload's fleet and how it serves. */
export const appSchema = z.strictObject({
  /** AMI the primary fleet launches. */
  amiId,
  /** AMI for the recovery region; when absent the primary AMI is copied there. */
  recoveryAmiId: amiId.optional(),
  instanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
      error: "must be an EC2 instance type such as t3.small",
    })
    .default("t3.small"),
  /** Fleet size bounds; Auto Scaling sets the desired size between them. */
  minSize: count(100).default(2),
  maxSize: count(100).default(4),
  /** Average CPU the target-tracking policy holds the fleet at, in percent. */
  cpuTargetPercent: z.number().min(10).max(90).default(50),
  /** Port the instances serve HTTP on. */
  port: z.int().min(1).max(65535).default(80),
  healthCheckPath: z
    .string()
    .regex(/^\/[\w\-./]*$/, { error: "must be an URL path starting with /" })
    .default("/health"),
  /** ACM certificates for HTTPS on the primary and recovery load balancers; HTTP only without. */
  certificateArn: acmArn.optional(),
  recoveryCertificateArn: acmArn.optional(),
  /** Root volume size in GiB. */
  volumeSizeGb: z.int().min(8).max(16384).default(20),
});
