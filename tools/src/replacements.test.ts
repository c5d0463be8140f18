// The replacements table (tools/replacements/replacements.json, made by generate.mjs from the
// providers' source): every custom resource type the shipped stacks register has an entry, the
// known replacing inputs are there, and the sources name the commit read.
import { evaluate } from "./testing/cached-evaluate";
import program = require("@aws-dr/stacks");
import table = require("../replacements/replacements.json");

interface Entry {
  terraform: string;
  file: string | null;
  replaces: string[];
  mayReplace: string[];
  notes?: string[];
}
const types = table.types as Record<string, Entry>;

/** States that between them register every type the program has. */
const STATES: [string, string[]][] = [
  ["dev", []],
  ["prod", []],
  ["prod", ["dr:failover=true", "dr:failoverStep=resize"]],
  ["staging", ["dr:tier=active-active"]],
  ["staging", ["dr:tier=warm-standby"]],
];

/** Components (the program's own and awsx's) and providers have no provider-side replacement. */
const isCustom = (type: string) =>
  !/^(aws-dr|awsx):/.test(type) && !type.startsWith("pulumi:providers:");

describe("replacements table", () => {
  it("covers every custom resource type the stacks register", async () => {
    const registered = new Set<string>();
    for (const [stack, overrides] of STATES)
      for (const r of (await evaluate(program, stack, overrides)).resources)
        if (isCustom(r.type)) registered.add(r.type);
    expect(registered.size).toBeGreaterThan(40);
    expect([...registered].filter((t) => !(t in types))).toEqual([]);
  }, 60_000);

  it("holds the known replacing inputs", () => {
    const db = types["aws:rds/instance:Instance"];
    expect(db.terraform).toBe("aws_db_instance");
    expect(db.file).toBe("internal/service/rds/instance.go");
    expect(db.replaces).toEqual(
      expect.arrayContaining(["dbName", "kmsKeyId", "storageEncrypted"]),
    );
    expect(types["aws:s3/bucket:Bucket"].replaces).toContain("bucket");
    expect(types["aws:kms/key:Key"].replaces).toContain("multiRegion");
    expect(
      types["random:index/randomPassword:RandomPassword"].replaces,
    ).toEqual(expect.arrayContaining(["length", "special", "upper"]));
  });

  it("says so where the source read does not decide", () => {
    // aws_arcregionswitch_plan is newer than the terraform-provider-aws commit read
    const plan = types["aws:arcregionswitch/plan:Plan"];
    expect(plan.terraform).toBe("aws_arcregionswitch_plan");
    if (plan.file === null) expect(plan.notes?.join(" ")).toMatch(/undecided/);
  });

  it("records the commits read, and sorted arrays", () => {
    for (const source of Object.values(table.sources))
      expect(source.used).toMatch(/^[0-9a-f]{40}$/);
    for (const entry of Object.values(types)) {
      expect(entry.replaces).toEqual([...entry.replaces].sort());
      expect(entry.mayReplace).toEqual([...entry.mayReplace].sort());
    }
  });
});
