// The EC2 instance types and RDS instance classes a config may name, in one committed place. The
// provider's enumerations lag AWS (@pulumi/aws 7.48's aws.rds.InstanceType has no db.r7g, nor
// db.serverless), so these lists are kept by hand from AWS's own pages:
// - EC2: https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-types.html
// - RDS: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Types.html
//   (the classes RDS for PostgreSQL offers; Aurora-only ones such as db.serverless are left out)
// read 2026-12-02. A family no list knows is refused (a typo, or a family to add here); a known
// family with a size not listed only warns, with the nearest size, since sizes come and go.

/** Where the lists come from, for messages. */
export const INSTANCE_LIST_SOURCE = "packages/model/src/instance-types.ts";

const SIZES = [
  "nano",
  "micro",
  "small",
  "medium",
  "large",
  "xlarge",
  "2xlarge",
  "3xlarge",
  "4xlarge",
  "6xlarge",
  "8xlarge",
  "9xlarge",
  "10xlarge",
  "12xlarge",
  "16xlarge",
  "18xlarge",
  "24xlarge",
  "32xlarge",
  "48xlarge",
  "metal",
];
/** Burstable families stop at 2xlarge. */
const BURSTABLE_SIZES = SIZES.slice(0, SIZES.indexOf("2xlarge") + 1);

/** EC2 families for a web fleet: general purpose, compute and memory optimized, burstable. */
export const EC2_FAMILIES = [
  "t2",
  "t3",
  "t3a",
  "t4g",
  "m5",
  "m5a",
  "m5d",
  "m5n",
  "m6a",
  "m6g",
  "m6gd",
  "m6i",
  "m6id",
  "m7a",
  "m7g",
  "m7gd",
  "m7i",
  "m7i-flex",
  "m8g",
  "c5",
  "c5a",
  "c5d",
  "c5n",
  "c6a",
  "c6g",
  "c6gd",
  "c6gn",
  "c6i",
  "c6id",
  "c7a",
  "c7g",
  "c7gd",
  "c7gn",
  "c7i",
  "c7i-flex",
  "c8g",
  "r5",
  "r5a",
  "r5b",
  "r5d",
  "r5n",
  "r6a",
  "r6g",
  "r6gd",
  "r6i",
  "r6id",
  "r7a",
  "r7g",
  "r7gd",
  "r7i",
  "r8g",
] as const;

/** RDS for PostgreSQL instance class families (db.<family>.<size>). */
export const RDS_FAMILIES = [
  "t3",
  "t4g",
  "m5",
  "m5d",
  "m6g",
  "m6gd",
  "m6i",
  "m6id",
  "m6idn",
  "m6in",
  "m7g",
  "m7i",
  "m8g",
  "r5",
  "r5b",
  "r5d",
  "r6g",
  "r6gd",
  "r6i",
  "r6id",
  "r6idn",
  "r6in",
  "r7g",
  "r7i",
  "r8g",
  "x2g",
  "x2idn",
  "x2iedn",
  "z1d",
] as const;

const sizesOf = (family: string) =>
  family.startsWith("t") ? BURSTABLE_SIZES : SIZES;

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length];
}

const nearest = (value: string, options: readonly string[]) =>
  [...options].sort((x, y) => distance(value, x) - distance(value, y))[0];

/** What a config's instance type or class is: known, a known family's unlisted size, or unknown. */
export type InstanceCheck =
  | { kind: "known" }
  | { kind: "unknown-size"; suggestion: string }
  | { kind: "unknown-family"; suggestion: string };

function check(
  family: string,
  size: string,
  families: readonly string[],
  prefix: string,
): InstanceCheck {
  if (!families.includes(family)) {
    const like = nearest(family, families);
    const sizes = sizesOf(like);
    return {
      kind: "unknown-family",
      suggestion: `${prefix}${like}.${sizes.includes(size) ? size : nearest(size, sizes)}`,
    };
  }
  const sizes = sizesOf(family);
  return sizes.includes(size)
    ? { kind: "known" }
    : {
        kind: "unknown-size",
        suggestion: `${prefix}${family}.${nearest(size, sizes)}`,
      };
}

/** An EC2 instance type `<family>.<size>`, as the lists above know it. */
export function checkEc2InstanceType(type: string): InstanceCheck {
  const dot = type.lastIndexOf(".");
  return check(type.slice(0, dot), type.slice(dot + 1), EC2_FAMILIES, "");
}

/** An RDS instance class `db.<family>.<size>`, as the lists above know it. */
export function checkRdsInstanceClass(instanceClass: string): InstanceCheck {
  const [, family = "", size = ""] = instanceClass.split(".");
  return check(family, size, RDS_FAMILIES, "db.");
}

/**
 * Warnings for the instance types and classes a config names (any key instanceType, or ending in
 * instanceClass, at any depth) whose family is known but whose size the lists do not have.
 */
export function instanceSizeWarnings(raw: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value))
        walk(inner, [...path, key]);
      return;
    }
    if (typeof value !== "string") return;
    const key = path[path.length - 1] ?? "";
    const found =
      key === "instanceType"
        ? checkEc2InstanceType(value)
        : /instanceClass$/i.test(key)
          ? checkRdsInstanceClass(value)
          : undefined;
    if (found?.kind === "unknown-size")
      warnings.push(
        `dr:${path.join(".")} = ${JSON.stringify(value)}: no such size of ${value.slice(0, value.lastIndexOf("."))} is listed: did you mean ${found.suggestion}? (${INSTANCE_LIST_SOURCE}; add the size there if AWS has it)`,
      );
  };
  walk(raw, []);
  return warnings;
}
