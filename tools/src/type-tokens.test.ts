// A component's type token is part of the URN of the component and of every resource under it: a
// changed token is a delete and a create of all of them (data included) unless the class gives its
// old token as an alias. So the tokens are frozen where they were first deployed, whichever package
// holds the class now (AlertTopic moved to @aws-dr/aws-kit and kept aws-dr:core:AlertTopic).
import * as fs from "node:fs";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

const FROZEN = [
  "aws-dr:compute:Fleet",
  "aws-dr:compute:InstanceRole",
  "aws-dr:compute:InterRegionPeering",
  "aws-dr:compute:LoadBalancer",
  "aws-dr:compute:Network",
  "aws-dr:compute:VolumeKey",
  "aws-dr:core:AlertTopic",
  "aws-dr:dns:EndpointParameters",
  "aws-dr:dns:SiteRecord",
  "aws-dr:replication:AuroraLagAlarm",
  "aws-dr:replication:BucketReplication",
  "aws-dr:replication:ReplicationSourceAlarms",
  "aws-dr:replication:RpoAlarms",
  "aws-dr:stacks:Site",
  "aws-dr:storage:AuroraCluster",
  "aws-dr:storage:BackupAlerts",
  "aws-dr:storage:BackupAudit",
  "aws-dr:storage:BackupPlan",
  "aws-dr:storage:BackupVault",
  "aws-dr:storage:Database",
  "aws-dr:storage:GlobalDatabase",
  "aws-dr:storage:IsolatedVault",
  "aws-dr:storage:LogBucket",
  "aws-dr:storage:RestoreTesting",
  "aws-dr:storage:SecureBucket",
  "aws-dr:storage:SessionTable",
];

/** Every TypeScript source (tests aside) under a folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory())
      return e.name === "node_modules" || e.name === "dist"
        ? []
        : sources(file);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [file] : [];
  });
}

describe("component type tokens", () => {
  it("are the ones first deployed: none renamed, none dropped, each declared once", () => {
    const declared = ["packages", "stacks"].flatMap((folder) =>
      sources(path.join(REPO_ROOT, folder)).flatMap((file) =>
        [
          ...fs
            .readFileSync(file, "utf8")
            .matchAll(/\bsuper\(\s*["'`](aws-dr:[^"'`]+)["'`]/g),
        ].map((m) => m[1]),
      ),
    );
    // A new component adds its token here; a renamed one keeps its old token (or an alias to it).
    expect([...declared].sort()).toEqual(FROZEN);
  });
});
