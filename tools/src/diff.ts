import type { Plan, PlannedResource } from "./evaluate";

/** Resources whose loss loses data: never replaced or deleted by a tier or failover change. */
export const DATA_TYPES = new Set([
  "aws:s3/bucket:Bucket",
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:kms/key:Key",
  "aws:backup/vault:Vault",
  "aws:dynamodb/table:Table",
]);

/** Inputs whose change makes the AWS provider replace a data resource (from the provider schema). */
const REPLACE_KEYS: Record<string, string[]> = {
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
  "aws:rds/instance:Instance": [
    "identifier",
    "identifierPrefix",
    "engine",
    "kmsKeyId",
    "storageEncrypted",
    "dbName",
    "username",
    "snapshotIdentifier",
    "availabilityZone",
    "characterSetName",
    "timezone",
  ],
  "aws:rds/cluster:Cluster": [
    "clusterIdentifier",
    "engine",
    "kmsKeyId",
    "storageEncrypted",
    "databaseName",
    "masterUsername",
    "snapshotIdentifier",
  ],
  "aws:kms/key:Key": [
    "customerMasterKeySpec",
    "keyUsage",
    "customKeyStoreId",
    "xksKeyId",
    "multiRegion",
  ],
  "aws:backup/vault:Vault": ["name", "kmsKeyArn"],
  "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey"],
};

/** What AWS keeps of a data resource the change removes. */
function removalOutcome(gone: PlannedResource): string {
  if (gone.retainOnDelete)
    return "removed from the stack (retained in AWS: retainOnDelete)";
  if (gone.inputs.skipFinalSnapshot === false)
    return `DELETED after a final snapshot (${String(gone.inputs.finalSnapshotIdentifier)})`;
  return "DELETED";
}

export interface ResourceChange {
  urn: string;
  type: string;
  changedInputs: string[];
}

export interface PlanDiff {
  added: PlannedResource[];
  removed: PlannedResource[];
  changed: ResourceChange[];
  /** Data resources that the change would delete, replace, or leave unguarded. */
  dataAtRisk: { urn: string; reason: string }[];
}

/** Compares two plans of the same stack resource by resource (by URN). */
export function diffPlans(before: Plan, after: Plan): PlanDiff {
  const beforeByUrn = new Map(before.resources.map((r) => [r.urn, r]));
  const afterByUrn = new Map(after.resources.map((r) => [r.urn, r]));
  const added = after.resources.filter((r) => !beforeByUrn.has(r.urn));
  const removed = before.resources.filter((r) => !afterByUrn.has(r.urn));
  const changed: ResourceChange[] = [];
  const dataAtRisk: PlanDiff["dataAtRisk"] = [];

  for (const old of before.resources) {
    const next = afterByUrn.get(old.urn);
    if (!next) continue;
    // The engine keeps the old value of an ignored input, so changing it changes nothing.
    const keys = new Set(
      [...Object.keys(old.inputs), ...Object.keys(next.inputs)].filter(
        (k) => !next.ignoreChanges.includes(k),
      ),
    );
    const changedInputs = [...keys]
      .filter(
        (k) => JSON.stringify(old.inputs[k]) !== JSON.stringify(next.inputs[k]),
      )
      .sort();
    if (old.region !== next.region) changedInputs.push("(provider region)");
    const lostGuards = (["protect", "retainOnDelete"] as const).filter(
      (option) => old[option] && !next[option],
    );
    for (const option of ["protect", "retainOnDelete"] as const) {
      if (old[option] !== next[option]) changedInputs.push(`(${option})`);
    }
    if (DATA_TYPES.has(old.type) && lostGuards.length > 0) {
      dataAtRisk.push({
        urn: old.urn,
        reason: `loses ${lostGuards.join(" and ")}`,
      });
    }
    if (changedInputs.length === 0) continue;
    changed.push({ urn: old.urn, type: old.type, changedInputs });
    if (DATA_TYPES.has(old.type)) {
      const replacing = changedInputs.filter(
        (k) => k === "(provider region)" || REPLACE_KEYS[old.type]?.includes(k),
      );
      if (replacing.length > 0)
        dataAtRisk.push({
          urn: old.urn,
          reason: `replaced: ${replacing.join(", ")} changed`,
        });
    }
  }
  for (const gone of removed) {
    if (DATA_TYPES.has(gone.type)) {
      dataAtRisk.push({
        urn: gone.urn,
        reason: removalOutcome(gone),
      });
    }
  }
  return { added, removed, changed, dataAtRisk };
}

/**
 * The risks that lose data: deleted without a final snapshot or retention, or replaced. A guard
 * lifted, a deletion after a final snapshot, a resource left in AWS: reviewable, not lost.
 */
export function dataLoss(diff: PlanDiff): PlanDiff["dataAtRisk"] {
  return diff.dataAtRisk.filter(
    (d) => d.reason === "DELETED" || d.reason.startsWith("replaced"),
  );
}
