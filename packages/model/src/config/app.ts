import { z } from "zod";
import { acmArn, amiId, count, ec2InstanceType } from "./fields";

/** dr:app: the workload's fleet and how it serves. */
export const appSchema = z
  .strictObject({
    amiId: amiId.describe("AMI the primary fleet launches."),
    recoveryAmiId: amiId
      .optional()
      .describe(
        "AMI the recovery fleet launches. Unset: the primary AMI, copied to the recovery region ahead of time and encrypted with the recovery volume key.",
      ),
    instanceType: ec2InstanceType
      .default("t3.small")
      .describe("EC2 instance type of both regions' fleets."),
    minSize: count(100)
      .default(2)
      .describe(
        "Fewest instances of the primary fleet, and of the recovery fleet when it serves; at most dr:app.maxSize.",
      ),
    maxSize: count(100)
      .default(4)
      .describe(
        "Most instances of each fleet: Auto Scaling sets the desired size between minSize and maxSize, and a standby fleet may grow to it.",
      ),
    cpuTargetPercent: z
      .number()
      .min(10)
      .max(90)
      .default(50)
      .describe(
        "Average CPU the target-tracking policy holds each fleet at, in percent.",
      ),
    port: z
      .int()
      .min(1)
      .max(65535)
      .default(80)
      .describe("Port the instances serve HTTP on."),
    healthCheckPath: z
      .string()
      .regex(/^\/[\w\-./]*$/, { error: "must be an URL path starting with /" })
      .default("/health")
      .describe(
        "Path the load balancers and Route 53's health checks request on each site.",
      ),
    certificateArn: acmArn
      .optional()
      .describe(
        "ACM certificate of dr:primaryRegion for HTTPS on the primary load balancer; set both certificates or neither. Unset: HTTP only.",
      ),
    recoveryCertificateArn: acmArn
      .optional()
      .describe(
        "ACM certificate of dr:recoveryRegion for HTTPS on the recovery load balancer; set both certificates or neither.",
      ),
    volumeSizeGb: z
      .int()
      .min(8)
      .max(16384)
      .default(20)
      .describe("Root volume size of each instance, in GiB."),
  })
  .describe("The workload's fleet and how it serves.");
