import { z } from "zod";
import { isKnownRegion, vpcCidr, type Fail } from "./fields";

/** Availability zone names, checked against their region in checkZones. */
const zoneNames = z
  .array(z.string())
  .min(2, { error: "must list at least 2 availability zones" })
  .max(4, { error: "must list at most 4 availability zones" });

/** dr:network: both VPCs and their zones. */
export const networkSchema = z
  .strictObject({
    primaryCidr: vpcCidr
      .default("10.0.0.0/16")
      .describe("Address block of the primary VPC."),
    recoveryCidr: vpcCidr
      .default("10.1.0.0/16")
      .describe(
        "Address block of the recovery VPC; must not overlap primaryCidr.",
      ),
    primaryZones: zoneNames.describe(
      "Availability zones of dr:primaryRegion, in order: subnets are cut by position in the list, so append zones, never reorder them. Names differ between accounts and regions (ap-northeast-1 has no b); taken from config so no plan or failover asks the EC2 API.",
    ),
    recoveryZones: zoneNames.describe(
      "Availability zones of dr:recoveryRegion, in order (append, never reorder), as for primaryZones.",
    ),
    natGateways: z
      .enum(["single", "one-per-az"])
      .default("single")
      .describe(
        "NAT gateways of each network while it runs a fleet: one for the VPC, or one per zone so a zone outage does not cut egress.",
      ),
  })
  .describe(
    "Both regions' VPCs (the same fixed subnet layout) and their availability zones.",
  );

/** Zone names must belong to the region: `<region><letter>`, each once. */
export function checkZones(
  zones: string[],
  region: string,
  path: string[],
  fail: Fail,
): void {
  if (!isKnownRegion(region)) return; // reported on the region's own key
  const own = new RegExp(`^${region}[a-z]$`);
  if (
    !zones.every((z) => own.test(z)) ||
    new Set(zones).size !== zones.length
  ) {
    fail(
      path,
      zones,
      `must be distinct availability zone names of ${region}, such as ${region}a (see \`aws ec2 describe-availability-zones --region ${region}\`)`,
    );
  }
}
