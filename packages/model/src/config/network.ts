import { z } from "zod";
import { isKnownRegion, vpcCidr, type Fail } from "./fields";

/** Availability zone names, checked against their region in checkZones. */
const zoneNames = z
  .array(z.string())
  .min(2, { error: "must list at least 2 availability zones" })
  .max(4, { error: "must list at most 4 availability zones" });

/** dr:network: both VPCs and their zones. */
export const networkSchema = z.strictObject({
  primaryCidr: vpcCidr.default("10.0.0.0/16"),
  recoveryCidr: vpcCidr.default("10.1.0.0/16"),
  /**
   * Zones of each region, in order (zone names differ between regions and accounts, e.g.
   * ap-northeast-1 has no "b"). Taken from config so no plan or failover has to ask the EC2 API;
   * subnets are cut by position in the list, so append zones, never reorder them.
   */
  primaryZones: zoneNames,
  recoveryZones: zoneNames,
  /** One NAT gateway for the VPC, or one per AZ so an AZ outage does not cut egress. */
  natGateways: z.enum(["single", "one-per-az"]).default("single"),
});

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
