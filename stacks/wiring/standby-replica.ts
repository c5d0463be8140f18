import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import type { DeployContext } from "./context";

/**
 * The standby replica's identifier, once the recovery region confirms it exists. A failover that
 * promotes "the replica" in a stack that has none (e.g. straight from backup-restore) would
 * otherwise create an empty database and serve it: refused instead, before anything changes.
 */
export function existingReplica(
  ctx: DeployContext,
  identifier: string,
): pulumi.Output<string> {
  return rds
    .getInstancesOutput(
      { filters: [{ name: "db-instance-id", values: [identifier] }] },
      { provider: ctx.providers.recovery },
    )
    .apply(({ instanceIdentifiers }) =>
      requireReplica(instanceIdentifiers, identifier),
    );
}

/** The identifier, if the lookup found it; else the error that stops the failover. */
export function requireReplica(found: string[], identifier: string): string {
  if (found.includes(identifier)) return identifier;
  throw new pulumi.RunError(
    `dr:failover = true: there is no standby replica ${identifier} in the recovery region to promote, and promoting none would serve an empty database. Fail over at dr:tier backup-restore (restores the newest backup copy), or first run the standby tier without failover so the replica exists`,
  );
}
