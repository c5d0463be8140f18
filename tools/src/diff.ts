import * as fs from "node:fs";
import * as path from "node:path";
import type { Plan, PlannedResource } from "./evaluate";
import { REPO_ROOT } from "./stack-config";
import { withVpcChildren } from "./vpc-layout";

/** Resources whose loss loses data: never replaced or deleted by a tier or failover change. */
export const DATA_TYPES = new Set([
  "aws:s3/bucket:Bucket",
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:kms/key:Key",
  "aws:backup/vault:Vault",
  "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
  "aws:dynamodb/table:Table",
]);

/**
 * Which input changes make the provider replace a resource, by type: always (`replaces`) or in some
 * cases (`mayReplace`: a nested attribute forces it, or a conditional rule). Generated from the
 * provider sources @pulumi/aws and @pulumi/random bridge (tools/replacements/generate.mjs); until a
 * type is in it, the data types' keys below stand in.
 */
interface Replacements {
  replaces: string[];
  mayReplace: string[];
  /** What the generator could not decide (an input's nested schema, a type it could not read). */
  notes?: string[];
  /** The source file it read; null where the type was not in the provider source read. */
  file?: string | null;
}
const TABLE_FILE = path.join(
  REPO_ROOT,
  "tools",
  "replacements",
  "replacements.json",
);
// Committed with its generator: a diff without it would call every replacement in place.
const GENERATED = (
  JSON.parse(fs.readFileSync(TABLE_FILE, "utf8")) as {
    types: Record<string, Replacements>;
  }
).types;

/** Every input: where the generator could not read the type, any change may replace it. */
const ANY_INPUT = "*";

/** The inputs the generator's notes leave undecided: each may replace. */
function undecided(entry: Replacements): string[] {
  const notes = entry.notes ?? [];
  if (
    entry.file === null ||
    notes.some((n) =>
      /is not registered in the source read|no SDKv2 schema map/.test(n),
    )
  )
    return [ANY_INPUT];
  return notes.flatMap((note) => {
    const listed = /undecided: (.+)$/.exec(note);
    if (listed) return listed[1].split(", ");
    const input = /^(\w+): /.exec(note);
    return input ? [input[1]] : [];
  });
}

/** Inputs whose change makes the AWS provider replace a data resource (from the provider schema). */
const REPLACE_KEYS: Record<string, string[]> = {
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
  "aws:rds/instance:Instance": [
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
  // AWS has no call that updates a logically air-gapped vault: every input is fixed at creation.
  "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault": [
    "name",
    "minRetentionDays",
    "maxRetentionDays",
    "encryptionKeyArn",
  ],
  "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey"],
  // awsx's VPC children (vpc-layout.ts), which the program never registers itself.
  "aws:ec2/vpc:Vpc": ["cidrBlock"],
  "aws:ec2/subnet:Subnet": ["availabilityZone", "cidrBlock"],
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ["subnetId"],
  "aws:ec2/natGateway:NatGateway": ["subnetId"],
};

/**
 * What replaces a type: the generated table, and the keys above as well (the table is read from an
 * older provider commit than the one @pulumi/aws bridges until it is regenerated: see its sources).
 */
function replacementsOf(type: string): Replacements {
  const generated = GENERATED[type] ?? { replaces: [], mayReplace: [] };
  const replaces = [
    ...new Set([...generated.replaces, ...(REPLACE_KEYS[type] ?? [])]),
  ];
  return {
    replaces,
    mayReplace: [...generated.mayReplace, ...undecided(generated)].filter(
      (k) => !replaces.includes(k),
    ),
  };
}

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
  /** Each changed input's value before and after (secrets as the plan holds them: "[secret]"). */
  values: { input: string; before: unknown; after: unknown }[];
  /**
   * "replace": an input the provider replaces on (or the plan contract's replaceOnChanges, or the
   * provider's region) changed; "may replace": one that replaces in some cases; else in place.
   */
  replacement?: "replace" | "may replace";
  /** The changed inputs that replace (or may). */
  replacing: string[];
  /** Replaced by deleting first (deleteBeforeReplace): a moment with neither. */
  deleteFirst: boolean;
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
  // awsx's VPCs as what they create: a zone or CIDR change replaces subnets under the data.
  const was = withVpcChildren(before.resources);
  const is = withVpcChildren(after.resources);
  const dataSubnets = new Set([...was.dataSubnets, ...is.dataSubnets]);
  const beforeByUrn = new Map(was.resources.map((r) => [r.urn, r]));
  const afterByUrn = new Map(is.resources.map((r) => [r.urn, r]));
  const added = is.resources.filter((r) => !beforeByUrn.has(r.urn));
  const removed = was.resources.filter((r) => !afterByUrn.has(r.urn));
  const changed: ResourceChange[] = [];
  const dataAtRisk: PlanDiff["dataAtRisk"] = [];

  for (const old of was.resources) {
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
    const table = replacementsOf(old.type);
    const declared = next.replaceOnChanges ?? [];
    const replaces = changedInputs.filter(
      (k) =>
        k === "(provider region)" ||
        table.replaces.includes(k) ||
        declared.includes(k) ||
        declared.includes("*"),
    );
    const mayReplace = changedInputs.filter(
      (k) =>
        !replaces.includes(k) &&
        !k.startsWith("(") &&
        (table.mayReplace.includes(k) || table.mayReplace.includes(ANY_INPUT)),
    );
    const replacement =
      replaces.length > 0
        ? "replace"
        : mayReplace.length > 0
          ? "may replace"
          : undefined;
    changed.push({
      urn: old.urn,
      type: old.type,
      changedInputs,
      values: changedInputs
        .filter((k) => !k.startsWith("("))
        .map((input) => ({
          input,
          before: old.inputs[input],
          after: next.inputs[input],
        })),
      replacement,
      replacing: replaces.length > 0 ? replaces : mayReplace,
      deleteFirst:
        replacement !== undefined && next.deleteBeforeReplace === true,
    });
    if (dataSubnets.has(old.urn) && replacement)
      dataAtRisk.push({
        urn: old.urn,
        reason: `${replacement === "replace" ? "replaced" : "may be replaced"}: the network under the databases (${(replaces.length > 0 ? replaces : mayReplace).join(", ")} changed; RDS cannot move an instance out of a subnet its subnet group is losing)`,
      });
    if (DATA_TYPES.has(old.type) && replacement)
      dataAtRisk.push({
        urn: old.urn,
        reason: `${replacement === "replace" ? "replaced" : "may be replaced"}: ${(replaces.length > 0 ? replaces : mayReplace).join(", ")} changed`,
      });
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
    (d) =>
      d.reason === "DELETED" ||
      d.reason.startsWith("replaced") ||
      d.reason.startsWith("may be replaced"),
  );
}

/** How many changes are in place, replacements, and possible replacements. */
export function changeCounts(diff: PlanDiff): {
  change: number;
  replace: number;
  mayReplace: number;
} {
  const count = (r: ResourceChange["replacement"]) =>
    diff.changed.filter((c) => c.replacement === r).length;
  return {
    change: count(undefined),
    replace: count("replace"),
    mayReplace: count("may replace"),
  };
}
