// The fixed subnet layout of every VPC: pure, so it is tested without Pulumi.

/** The most zones a VPC is laid out for; config allows 2 to 4. */
export const MAX_ZONES = 4;

export interface SubnetLayout {
  /** One CIDR block per zone, in zone order. */
  public: string[];
  private: string[];
  isolated: string[];
}

const toAddress = (ip: string) =>
  ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
const toIp = (address: number) =>
  [24, 16, 8, 0]
    .map((shift) => Math.floor(address / 2 ** shift) % 256)
    .join(".");

/**
 * Cuts a VPC block (prefix /16 to /24) into subnets that never move: the block is split into
 * MAX_ZONES equal zone slots whatever the zone count, and zone i always owns slot i. Inside a
 * slot: private (the fleet) gets the first half, public (load balancer, NAT) the next quarter,
 * isolated (database) the last quarter. So adding a zone only fills the next free slot; no
 * existing subnet changes range, and none overlaps another. A /16 gives /19 private and /20
 * public and isolated subnets; a /23 gives /26 and /27 (the smallest subnet an ALB accepts).
 */
export function subnetLayout(vpcCidr: string, zoneCount: number): SubnetLayout {
  if (zoneCount < 1 || zoneCount > MAX_ZONES)
    throw new Error(`zoneCount must be 1 to ${MAX_ZONES}, got ${zoneCount}`);
  const [ip, prefixText] = vpcCidr.split("/");
  const prefix = Number(prefixText);
  if (prefix > 23)
    throw new Error(`the VPC block must be /23 or larger, got ${vpcCidr}`);
  const base = toAddress(ip);
  const slotPrefix = prefix + Math.log2(MAX_ZONES);
  const slotSize = 2 ** (32 - slotPrefix);
  const layout: SubnetLayout = { public: [], private: [], isolated: [] };
  for (let zone = 0; zone < zoneCount; zone++) {
    const slot = base + zone * slotSize;
    layout.private.push(`${toIp(slot)}/${slotPrefix + 1}`);
    layout.public.push(`${toIp(slot + slotSize / 2)}/${slotPrefix + 2}`);
    layout.isolated.push(
      `${toIp(slot + (slotSize * 3) / 4)}/${slotPrefix + 2}`,
    );
  }
  return layout;
}
