import * as vpc from "@pulumi/aws/vpc";
import { InterRegionPeering } from "@aws-dr/compute";
import { POSTGRES_PORT } from "@aws-dr/contracts";
import type { DeployContext } from "../wiring/context";
import type { Regions } from "../wiring/regions";

/**
 * The recovery fleet's way to the primary's writer: inter-region VPC peering, requested from the
 * recovery region (so a failover, which changes nothing here, never needs the primary region), with
 * routes only where they are needed (recovery fleet subnets to the primary VPC, primary database
 * subnets back), and security-group rules by CIDR (a group in another region cannot be named) that
 * let exactly the recovery fleet's subnets reach the primary database's port, and nothing else.
 */
export function reachPrimaryWriter(ctx: DeployContext, regions: Regions): void {
  const { cfg, providers } = ctx;
  const { primary, recovery } = regions;
  new InterRegionPeering(
    "sites-peering",
    {
      requester: {
        vpcId: recovery.network.vpcId,
        routeTableIds: recovery.network.privateRouteTableIds,
        cidrBlock: cfg.network.recoveryCidr,
      },
      accepter: {
        vpcId: primary.network.vpcId,
        routeTableIds: primary.network.isolatedRouteTableIds,
        cidrBlock: cfg.network.primaryCidr,
        region: cfg.primaryRegion,
        provider: providers.primary,
      },
    },
    { provider: providers.recovery },
  );
  const rule = {
    ipProtocol: "tcp",
    fromPort: POSTGRES_PORT,
    toPort: POSTGRES_PORT,
  };
  recovery.network.subnets.private.forEach((cidrIpv4, i) => {
    new vpc.SecurityGroupIngressRule(
      `primary-db-from-recovery-app-${i}`,
      {
        securityGroupId: primary.network.databaseSecurityGroupId,
        cidrIpv4,
        ...rule,
      },
      { provider: providers.primary },
    );
  });
  primary.network.subnets.isolated.forEach((cidrIpv4, i) => {
    new vpc.SecurityGroupEgressRule(
      `recovery-app-to-primary-db-${i}`,
      {
        securityGroupId: recovery.network.appSecurityGroupId,
        cidrIpv4,
        ...rule,
      },
      { provider: providers.recovery },
    );
  });
}
