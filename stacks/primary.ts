import * as pulumi from "@pulumi/pulumi";
import { ROLE_TAG } from "@aws-dr/core";
import { SecureBucket } from "@aws-dr/storage";
import type { DeployContext } from "./context";
import { generationName, recoveryDatabaseIdentifier } from "./recovery";
import type { Regions } from "./regions";
import { Site, type DatabaseOverrides } from "./site";

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
): PrimarySite {
  const { cfg, providers, databasePassword } = ctx;
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
      appPolicy: regions.app.policy,
      protect: cfg.protectData,
      ...primaryDatabases(ctx),
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

/**
 * The primary site's databases in the config's generation and failback step. RDS cannot turn a
 * promoted database back into a replica, so a standby failback builds a successor: the one designed
 * exception to "the primary's data is never replaced", in steps (README, "Failback"):
 * - reseed (still failed over): the successor replicates the promoted recovery database; the stale
 *   primary stays as it is.
 * - promote: the successor is promoted and serves, guarded; the stale primary loses its guard but
 *   keeps a final snapshot for its removal.
 * - none with generation + 1: the successor is the primary; the stale one is deleted after its
 *   final snapshot.
 */
function primaryDatabases(
  ctx: DeployContext,
): Pick<ConstructorParameters<typeof Site>[1], "database" | "otherDatabase"> {
  const { cfg } = ctx;
  const generation = cfg.database.generation;
  // A later generation was a replica once: its data, name and user came from its source.
  const current: DatabaseOverrides & { name: string } = {
    name: generationName("primary-db", generation),
    replica: generation > 1 ? {} : undefined,
  };
  const successor = generationName("primary-db", generation + 1);
  switch (cfg.failback) {
    case "reseed":
      return {
        database: current,
        otherDatabase: {
          name: successor,
          replica: {
            sourceArn: pulumi.interpolate`arn:aws:rds:${cfg.recoveryRegion}:${ctx.accountId}:db:${recoveryDatabaseIdentifier(ctx)}`,
          },
          multiAz: false,
          backupRetentionDays: 0,
          protect: false,
          finalSnapshot: false,
          tags: { [ROLE_TAG]: "standby" },
        },
      };
    case "promote":
      return {
        database: { name: successor, replica: {} },
        otherDatabase: {
          ...current,
          protect: false,
          finalSnapshot: true,
          tags: { [ROLE_TAG]: "retiring" },
        },
      };
    default:
      return { database: current };
  }
}
