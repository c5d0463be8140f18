import { SecureBucket } from "@aws-dr/storage";
import type { DeployContext } from "./context";
import type { Regions } from "./regions";
import { Site } from "./site";

/** The primary site and the data bucket only it has (a restored site reads the replica). */
export interface PrimarySite {
  site: Site;
  dataBucket: SecureBucket;
}

/**
 * The primary site, built by this one function at every tier with the same names and parents, so
 * its URNs never change with dr:tier or dr:failover.
 */
export function buildPrimarySite(
  { cfg, providers, databasePassword }: DeployContext,
  regions: Regions,
): PrimarySite {
  const site = new Site(
    "primary",
    {
      cfg,
      region: regions.primary,
      autoScalingRoleArn: regions.autoScalingRoleArn,
      amiId: cfg.app.amiId,
      certificateArn: cfg.app.certificateArn,
      fleetSize: { minSize: cfg.app.minSize, maxSize: cfg.app.maxSize },
      databasePassword,
      protect: cfg.protectData,
    },
    { provider: providers.primary },
  );
  // A child of the site, so it shares the site's provider and URN prefix.
  const dataBucket = new SecureBucket(
    "primary-data",
    {
      protect: cfg.protectData,
      noncurrentExpireDays: 365,
      accessLogBucket: regions.primary.logs.name,
    },
    { parent: site },
  );
  return { site, dataBucket };
}
