import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import { physicalName, type RegionalProviders } from "@aws-dr/aws-kit";
import type { Phase } from "@aws-dr/model";
import type { StackConfig } from "../settings";

/** The global database's physical identifier: fixed, so the failover commands and this check name it. */
export const globalDatabaseIdentifier = (environment: string) =>
  physicalName(environment, "global-db");

/**
 * On an Aurora global database the writer is AWS's to move, and the config must agree with it:
 * dr:failover=true only once the recovery cluster writes (after AWS's failover), and the run that
 * leaves the failover only once the primary cluster writes again (after the switchover). Asked of
 * the region that should hold the writer, which is the one that answers (the recovery region while
 * failed over; the primary, back, when leaving). Awaited before any resource is registered: a run
 * ahead of AWS would otherwise move traffic to a site that does not write, or remove the guards and
 * instances of the cluster that still does.
 */
export async function requireAuroraWriter(
  cfg: StackConfig,
  phase: Phase,
  providers: RegionalProviders,
  environment: string,
  leavingFailover: boolean,
): Promise<void> {
  if (!phase.primary.database.globalMember) return;
  const site = phase.serving;
  if (site === "primary" && !leavingFailover) return;
  const region = site === "recovery" ? cfg.recoveryRegion : cfg.primaryRegion;
  const identifier = globalDatabaseIdentifier(environment);
  const { members } = await rds.getGlobalCluster(
    { identifier },
    { provider: providers[site] },
  );
  const problem = auroraWriterProblem(
    site === "recovery",
    region,
    identifier,
    members,
  );
  if (problem) throw new pulumi.RunError(problem);
}

/** Why the global database's members refuse this run's writer, or undefined where they agree. */
export function auroraWriterProblem(
  failover: boolean,
  region: string,
  identifier: string,
  members: { dbClusterArn: string; isWriter: boolean }[],
): string | undefined {
  const writes = members.find((m) => m.isWriter)?.dbClusterArn.split(":")[3];
  if (writes === region) return undefined;
  return failover
    ? `dr:failover = true: the global database ${identifier} writes in ${writes ?? "no region"}, not ${region}: run AWS's failover to the recovery cluster first (the Region switch plan, or docs/aurora.md#failover), then this run agrees with it`
    : `dr:failover = false: the global database ${identifier} still writes in ${writes ?? "no region"}, not ${region}: switch over to the primary cluster first (docs/aurora.md#failback); this run would lift the guards of the cluster that writes and remove its instances`;
}
