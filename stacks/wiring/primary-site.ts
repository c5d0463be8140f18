import type * as pulumi from "@pulumi/pulumi";
import { AURORA_ENGINE_VERSIONS } from "@aws-dr/model";
import { GlobalDatabase, SecureBucket } from "@aws-dr/storage";
import { globalDatabaseIdentifier } from "./aurora-writer";
import type { DeployContext } from "./context";
import { databaseOverrides } from "./database-phase";
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
  ctx: DeployContext,
  regions: Regions,
  appPolicy: pulumi.Input<string>,
): PrimarySite {
  const { cfg, providers, databasePassword, phase } = ctx;
  const { primary } = phase;
  if (primary.database.globalMember) {
    // In the primary region, with the primary provider: a failover calls nothing of it (AWS moves
    // the writer; its endpoint follows), so it is unchanged while that region is down.
    const global = new GlobalDatabase(
      "global-db",
      {
        identifier: globalDatabaseIdentifier(ctx.environment),
        engineVersion: AURORA_ENGINE_VERSIONS[cfg.database.engineVersion],
        protect: cfg.protectData,
      },
      { provider: providers.primary },
    );
    ctx.globalDatabase = {
      identifier: global.identifier,
      endpoint: global.endpoint,
    };
  }
  const site = new Site(
    "primary",
    {
      cfg,
      region: regions.primary,
      autoScalingRoleArn: regions.autoScalingRoleArn,
      amiId: cfg.app.amiId,
      certificateArn: cfg.app.certificateArn,
      fleetSize: primary.fleet,
      waitForCapacity: primary.waitForCapacity,
      databasePassword,
      appPolicy,
      protect: primary.guarded,
      database: databaseOverrides(ctx, primary.database),
      otherDatabase:
        primary.otherDatabase && databaseOverrides(ctx, primary.otherDatabase),
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
