import { EndpointParameters } from "@aws-dr/dns";
import type { DeployContext } from "./context";
import type { Site } from "./site";

/**
 * The app's contract for finding its database (docs/application.md): SSM parameters in
 * each region with a site. The primary region's always name the primary site: a failover cannot
 * reach that region, and no traffic goes there while failed over. The recovery region's name the
 * current writer (the primary's database, over peering at active-active, or the promoted one on
 * failover), the local reader and the serving region; failover changes only these.
 * On Aurora the writer is the global database's writer endpoint in both regions, which AWS points
 * at whichever cluster writes, and each reader is its region's reader endpoint: of what the app
 * reads, only the serving region changes with a failover.
 */
export function publishEndpoints(
  ctx: DeployContext,
  prefix: string,
  primary: Site,
  recovery: Site | undefined,
): void {
  const { cfg, providers, phase } = ctx;
  const primaryEndpoints = new EndpointParameters(
    "primary-endpoints",
    {
      prefix,
      writer: primary.database.address,
      reader: primary.database.readerAddress,
      servingRegion: cfg.primaryRegion,
    },
    { provider: providers.primary },
  );
  ctx.realized.push(...primaryEndpoints.parameterIds);
  const endpoints = phase.recoveryEndpoints;
  if (!recovery || !endpoints) return;
  const sites = { primary, recovery };
  const regions = { primary: cfg.primaryRegion, recovery: cfg.recoveryRegion };
  const recoveryEndpoints = new EndpointParameters(
    "recovery-endpoints",
    {
      prefix,
      writer: sites[endpoints.writer].database.address,
      reader: sites[endpoints.reader].database.readerAddress,
      servingRegion: regions[endpoints.servingRegion],
    },
    { provider: providers.recovery },
  );
  // The app's switch to this phase's writer: a failover whose parameters failed is not one yet.
  ctx.realized.push(...recoveryEndpoints.parameterIds);
}
