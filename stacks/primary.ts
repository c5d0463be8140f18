import { BACKUP_TAG } from "@aws-dr/core";
import type { DeployContext } from "./context";
import { Site } from "./site";

/**
 * The primary site, built by this one function at every tier with the same names and parents, so
 * its URNs never change with dr:tier or dr:failover.
 */
export function buildPrimarySite({
  cfg,
  providers,
  databasePassword,
}: DeployContext): Site {
  return new Site(
    "primary",
    {
      app: cfg.app,
      database: cfg.database,
      network: {
        cidrBlock: cfg.network.primaryCidr,
        availabilityZones: cfg.network.availabilityZones,
        natGateways: cfg.network.natGateways,
      },
      amiId: cfg.app.amiId,
      certificateArn: cfg.app.certificateArn,
      fleetSize: { minSize: cfg.app.minSize, maxSize: cfg.app.maxSize },
      databasePassword,
      backupTags: { [BACKUP_TAG.key]: BACKUP_TAG.value },
      dataBucket: true,
      protect: cfg.protectData,
    },
    { provider: providers.primary },
  );
}
