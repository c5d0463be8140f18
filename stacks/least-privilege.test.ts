// Least privilege: every policy document and managed-policy attachment the program creates, at every
// built tier, failed over or not, with DNS. A wildcard in an Allow statement's action or resource,
// and every AWS-managed policy, must be in the allowlists below with the reason it is acceptable.
import type { RecordedResource } from "@aws-dr/testing";
import { TIER_TEST_CONFIG, runnerOf } from "./test-stack";

// With DNS and alerts, on the base permissions-boundary and region-switch tests use too (their
// evaluations of the same overrides are shared).
const run = runnerOf(TIER_TEST_CONFIG);

/**
 * The configurations evaluated: backup-restore, a standby tier (pilot light builds the same IAM as
 * warm standby) and active-active, failover off and on, the failback steps, and the session table.
 */
const CASES: [string, Record<string, unknown>][] = [
  ...["backup-restore", "warm-standby", "active-active"].flatMap((tier) =>
    [false, true].map((failover): [string, Record<string, unknown>] => [
      `${tier} failover=${failover}`,
      // failover=false as the default, unset: the key the other files' runs of the tier have.
      { "dr:tier": tier, ...(failover && { "dr:failover": true }) },
    ]),
  ),
  [
    "backup-restore release, guarded",
    { "dr:failover": true, "dr:failback": "release", "dr:protectData": true },
  ],
  ...["warm-standby"].flatMap((tier): [string, Record<string, unknown>][] => [
    [
      `${tier} reseed`,
      {
        "dr:tier": tier,
        "dr:failover": true,
        "dr:failoverStep": "resize",
        "dr:failback": "reseed",
      },
    ],
    [`${tier} promote`, { "dr:tier": tier, "dr:failback": "promote" }],
  ]),
  [
    "active-active with a session table and a game day",
    {
      "dr:tier": "active-active",
      "dr:sessionTable": true,
      "dr:gameDay": { enabled: true },
    },
  ],
  [
    "warm-standby with vault and object lock",
    {
      "dr:tier": "warm-standby",
      "dr:protectData": true,
      "dr:backup": {
        vaultLock: {
          minRetentionDays: 7,
          maxRetentionDays: 3650,
          changeableForDays: 3,
        },
        backupBucket: { objectLock: true },
      },
    },
  ],
];

interface Statement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
}

/** One Allow statement of one policy document, flattened for the listing. */
interface Grant {
  /** "<type> <resource name>.<input>", e.g. "aws:kms/key:Key primary-volumes.policy". */
  owner: string;
  type: string;
  sid: string;
  actions: string[];
  resources: string[];
  principal: unknown;
}

/** A wildcard in an Allow statement. */
interface Wildcard {
  owner: string;
  sid: string;
  in: "action" | "resource" | "principal";
  value: string;
}

interface AllowedWildcard {
  /** The resource type whose policy may hold it. */
  type: string;
  in: Wildcard["in"];
  /** The wildcard value: exact, or a pattern for values naming one concrete resource. */
  value: string | RegExp;
  /** The statement it may appear in (Sid), when the reason holds only there. */
  sid?: string;
  reason: string;
}

/** Every wildcard accepted, and why. Anything else fails. */
const ALLOWED_WILDCARDS: AllowedWildcard[] = [
  {
    type: "aws:kms/key:Key",
    in: "resource",
    value: "*",
    reason:
      'In a KMS key policy, Resource "*" means "this key": a key policy cannot name any other resource.',
  },
  {
    type: "aws:kms/key:Key",
    in: "action",
    value: "kms:*",
    sid: "AccountAdministersKeyThroughIam",
    reason:
      "The account root statement of AWS's default key policy: it hands the key's administration to the account's IAM policies; without it the key becomes unmanageable (AWS refuses a policy that locks the account out).",
  },
  {
    type: "aws:kms/key:Key",
    in: "action",
    value: "kms:GenerateDataKey*",
    reason:
      "Envelope encryption as AWS documents it for SNS, EBS and AWS Backup: GenerateDataKey and its WithoutPlaintext variant, on this key only.",
  },
  {
    type: "aws:kms/key:Key",
    in: "action",
    value: "kms:ReEncrypt*",
    sid: "AutoScalingUsesKey",
    reason:
      "AWS's documented key policy for the Auto Scaling service-linked role on encrypted EBS volumes (ReEncryptFrom/ReEncryptTo), on this key only.",
  },
  {
    type: "aws:s3/bucketPolicy:BucketPolicy",
    in: "resource",
    value: /^arn:aws:s3:::[a-z0-9.-]+\/(alb\/)?\*$/,
    reason:
      "The objects (or the ALB log prefix) of the one bucket the policy belongs to, for log delivery; object keys are not known in advance.",
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    in: "resource",
    value: /^arn:aws:s3:::[a-z0-9.-]+\/\*$/,
    reason:
      "S3 replication reads every object version of the one source bucket and writes every object of the one destination bucket: object keys are not known in advance.",
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    in: "resource",
    value:
      /^arn:aws:ssm:[a-z0-9-]+:\d{12}:parameter\/dr\/aws-dr\/[a-z0-9-]+\/\*$/,
    sid: "ReadEndpointParameters",
    reason:
      "The app reads its stack's endpoint parameters (/dr/<project>/<env>/...) in one region, and only those: the path is the stack's own.",
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    in: "resource",
    value: "*",
    sid: "ReadFleetsAndCapacity",
    reason:
      "The Region switch plan's execution role: autoscaling:DescribeAutoScalingGroups and cloudwatch:GetMetricStatistics support no resource-level permissions (AWS's service authorization reference lists them on *); they only read. The actions that change anything name the two groups, the replica and the hosted zone.",
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    in: "resource",
    value: /^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:[^*:]+:\*$/,
    sid: "WriteItsLogs",
    reason:
      "The endpoint-switch function writes the streams of its own log group: Lambda names them at run time, so the group's streams are named by the group's ARN and ':*' (as AWS's basic execution policy does, for one group only).",
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    in: "resource",
    value: "*",
    sid: "PublishTheFence",
    reason:
      "The fence's schedule publishes one metric: cloudwatch:PutMetricData supports no resource-level permissions (AWS's service authorization reference lists it on *); the statement's cloudwatch:namespace condition holds it to the fence's namespace.",
  },
];

/** Every AWS-managed policy attached, and why a managed policy rather than an inline one. */
const ALLOWED_MANAGED_POLICIES: Record<string, string> = {
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore":
    "The fleet's instance roles: Session Manager access instead of SSH. AWS's minimal SSM agent policy (ssm/ssmmessages/ec2messages on Resource *: the agent's API calls take no resource ARNs), maintained by AWS as the agent changes.",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup":
    "The AWS Backup service role: what AWS Backup needs to snapshot RDS, EBS and copy across regions; its resources are chosen by the backup plan's selection, not by the role.",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores":
    "The AWS Backup service role: restores (and restore tests) of the resources it backs up.",
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup":
    "The AWS Backup service role: S3 backups, which the service-role/ backup policy does not cover.",
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore":
    "The AWS Backup service role: S3 restores.",
  "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorNetworkAccess":
    "The game day's FIS role (dr:gameDay): what aws:network:disrupt-connectivity needs to create, swap and remove NACLs on the target subnets; the experiment template, not the role, chooses the subnets.",
};

/** A policy input as a document: JSON strings are parsed, objects are already documents. */
function documentOf(value: unknown): { Statement?: unknown } | undefined {
  const doc: unknown =
    typeof value === "string" && value.trimStart().startsWith("{")
      ? JSON.parse(value)
      : value;
  return typeof doc === "object" && doc !== null && "Statement" in doc
    ? (doc as { Statement?: unknown })
    : undefined;
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Inputs that hold policy documents: key, bucket, topic and role policies, trust policies, inline role policies. */
const POLICY_INPUT = /^(policy|assumeRolePolicy|accessPolicy)$/;

function grantsOf(resources: RecordedResource[]): Grant[] {
  const grants: Grant[] = [];
  for (const r of resources) {
    const documents: [string, unknown][] = Object.entries(r.inputs).filter(
      ([key]) => POLICY_INPUT.test(key),
    );
    // aws:iam/role:Role inlinePolicies: [{ name, policy }]
    if (Array.isArray(r.inputs.inlinePolicies))
      for (const p of r.inputs.inlinePolicies as {
        name?: string;
        policy?: unknown;
      }[])
        documents.push([`inlinePolicies.${p.name ?? "?"}`, p.policy]);
    for (const [input, value] of documents) {
      const doc = documentOf(value);
      if (!doc) continue;
      const statements = (
        Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
      ) as Statement[];
      statements.forEach((s, i) => {
        if (s.Effect !== "Allow") return;
        // NotAction / NotResource in an Allow grant everything but the list: never least privilege.
        expect({ owner: `${r.name}.${input}`, NotAction: s.NotAction }).toEqual(
          {
            owner: `${r.name}.${input}`,
            NotAction: undefined,
          },
        );
        expect({
          owner: `${r.name}.${input}`,
          NotResource: s.NotResource,
        }).toEqual({ owner: `${r.name}.${input}`, NotResource: undefined });
        grants.push({
          owner: `${r.type} ${r.name}.${input}`,
          type: r.type,
          sid: s.Sid ?? `#${i}`,
          actions: list(s.Action),
          resources: list(s.Resource),
          principal: s.Principal,
        });
      });
    }
  }
  return grants;
}

function wildcardsOf(grant: Grant): Wildcard[] {
  const at = { owner: grant.owner, sid: grant.sid };
  const principals =
    grant.principal === undefined
      ? []
      : typeof grant.principal === "string"
        ? [grant.principal]
        : Object.values(
            grant.principal as Record<string, string | string[]>,
          ).flatMap(list);
  return [
    ...grant.actions
      .filter((a) => a.includes("*"))
      .map((value) => ({ ...at, in: "action" as const, value })),
    ...grant.resources
      .filter((res) => res.includes("*"))
      .map((value) => ({ ...at, in: "resource" as const, value })),
    ...principals
      .filter((p) => p.includes("*"))
      .map((value) => ({ ...at, in: "principal" as const, value })),
  ];
}

function allowed(w: Wildcard, grant: Grant): AllowedWildcard | undefined {
  return ALLOWED_WILDCARDS.find(
    (a) =>
      a.type === grant.type &&
      a.in === w.in &&
      (a.sid === undefined || a.sid === w.sid) &&
      (typeof a.value === "string"
        ? a.value === w.value
        : a.value.test(w.value)),
  );
}

describe.each(CASES)("least privilege at %s", (_name, overrides) => {
  let resources: RecordedResource[];
  beforeAll(async () => {
    resources = (await run(overrides)).recorder.resources;
  });

  it("lists every role's and policy's Allow statements, each naming its actions and resources", () => {
    const grants = grantsOf(resources);
    // The listing: owner, statement, actions and resources of every Allow statement.
    const listing = grants.map(
      (g) =>
        `${g.owner} [${g.sid}]: ${g.actions.join(", ")} ON ${g.resources.join(", ") || "(trust policy)"}`,
    );
    expect(listing.length).toBeGreaterThan(0);
    for (const g of grants) {
      expect({
        owner: g.owner,
        sid: g.sid,
        actions: g.actions.length > 0,
      }).toEqual({
        owner: g.owner,
        sid: g.sid,
        actions: true,
      });
      // Trust policies name no resource; every other Allow statement must.
      if (!g.owner.endsWith(".assumeRolePolicy"))
        expect({ owner: g.owner, sid: g.sid, resources: g.resources }).toEqual({
          owner: g.owner,
          sid: g.sid,
          resources: expect.arrayContaining([expect.any(String)]),
        });
    }
    // Every policy-carrying resource type the program creates is one this test reads.
    const read = new Set(grants.map((g) => g.type));
    for (const type of [
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:kms/key:Key",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:sns/topicPolicy:TopicPolicy",
    ])
      expect(read).toContain(type);
  });

  it("allows no wildcard that is not in the allowlist with its reason", () => {
    const grants = grantsOf(resources);
    const unexplained = grants.flatMap((g) =>
      wildcardsOf(g)
        .filter((w) => !allowed(w, g))
        .map((w) => ({
          ...w,
          statement: `${g.actions.join(", ")} ON ${g.resources.join(", ")}`,
        })),
    );
    expect(unexplained).toEqual([]);
  });

  it('allows no statement Action "*" on Resource "*"', () => {
    const everything = grantsOf(resources).filter(
      (g) =>
        (g.actions.includes("*") || g.actions.includes("*:*")) &&
        (g.resources.includes("*") || g.resources.length === 0),
    );
    expect(everything).toEqual([]);
  });

  it("attaches only AWS-managed policies that are in the allowlist with their reason", () => {
    const attached = resources.flatMap((r) => [
      ...([
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
      ].includes(r.type)
        ? [{ owner: r.name, policyArn: r.inputs.policyArn as string }]
        : []),
      ...(r.type === "aws:iam/role:Role" &&
      Array.isArray(r.inputs.managedPolicyArns)
        ? (r.inputs.managedPolicyArns as string[]).map((policyArn) => ({
            owner: r.name,
            policyArn,
          }))
        : []),
    ]);
    expect(attached.length).toBeGreaterThan(0);
    // Customer-managed policies would be aws:iam/policy:Policy documents; the program creates none.
    expect(resources.filter((r) => r.type === "aws:iam/policy:Policy")).toEqual(
      [],
    );
    const unexplained = attached.filter(
      (a) => !(a.policyArn in ALLOWED_MANAGED_POLICIES),
    );
    expect(unexplained).toEqual([]);
  });
});

describe("the allowlists", () => {
  it("give every entry a reason", () => {
    for (const a of ALLOWED_WILDCARDS)
      expect(a.reason.length).toBeGreaterThan(20);
    for (const reason of Object.values(ALLOWED_MANAGED_POLICIES))
      expect(reason.length).toBeGreaterThan(20);
  });

  it("hold no entry the program does not need", async () => {
    const used = new Set<AllowedWildcard>();
    const managed = new Set<string>();
    for (const [, overrides] of CASES) {
      const { resources } = (await run(overrides)).recorder;
      for (const g of grantsOf(resources))
        for (const w of wildcardsOf(g)) {
          const a = allowed(w, g);
          if (a) used.add(a);
        }
      for (const r of resources)
        if (typeof r.inputs.policyArn === "string")
          managed.add(r.inputs.policyArn);
    }
    expect(ALLOWED_WILDCARDS.filter((a) => !used.has(a))).toEqual([]);
    expect(
      Object.keys(ALLOWED_MANAGED_POLICIES).filter((arn) => !managed.has(arn)),
    ).toEqual([]);
  });
});
