import type {
  PolicyResource,
  ReportViolation,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  isPlaceholder,
  PLACEHOLDER_AMI_ID,
  PRODUCTION_KEY,
  PUBLIC_PORTS,
  TAG_KEYS,
} from "@aws-dr/contracts";
import {
  attachedTo,
  known,
  list,
  ofType,
  policyDocument,
  promoting,
  promotingRole,
  serving,
} from "./resources";
import type { StackFacts } from "./stack";

export { stackFacts, type StackFacts } from "./stack";

const BUCKET = "aws:s3/bucket:Bucket";
const DATABASE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const ALB = "aws:lb/loadBalancer:LoadBalancer";
/** The tags every provider's defaultTags carry. */
const DR_TAGS: string[] = Object.values(TAG_KEYS);

/** Checks one resource of the policy's type, with the whole stack at hand for its settings. */
type Check = (
  resource: PolicyResource,
  all: PolicyResource[],
  report: ReportViolation,
) => void;

/**
 * A mandatory policy over every resource of a type. Stack-level, because a bucket's or load
 * balancer's settings live in separate resources; each resource is checked on its own, so a value a
 * preview cannot know yet skips that resource only.
 */
function policy(
  name: string,
  description: string,
  type: string,
  check: Check,
): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      for (const resource of ofType(resources, type))
        known(() => check(resource, resources, report));
    },
  };
}

/** Buckets that receive access logs: SSE-S3 is what log delivery accepts. */
function isLogBucket(bucket: PolicyResource, all: PolicyResource[]): boolean {
  return [
    ...ofType(all, "aws:s3/bucketLogging:BucketLogging").flatMap(
      (r) => r.propertyDependencies.targetBucket ?? [],
    ),
    ...ofType(all, ALB).flatMap((r) => r.propertyDependencies.accessLogs ?? []),
  ].some((r) => r.urn === bucket.urn);
}

const settingsOf = (
  all: PolicyResource[],
  type: string,
  bucket: PolicyResource,
) => attachedTo(all, type, "bucket", bucket);

const s3Policies = [
  policy(
    "s3-versioned",
    "Every bucket is versioned (BucketVersioning Enabled): a deletion or overwrite keeps the old version.",
    BUCKET,
    (bucket, all, report) => {
      const on = settingsOf(
        all,
        "aws:s3/bucketVersioning:BucketVersioning",
        bucket,
      ).some((v) => v.props.versioningConfiguration?.status === "Enabled");
      if (!on) report(`bucket ${bucket.name} is not versioned`, bucket.urn);
    },
  ),
  policy(
    "s3-encrypted",
    "Every bucket is encrypted with SSE-KMS, except log buckets, which log delivery requires to be SSE-S3.",
    BUCKET,
    (bucket, all, report) => {
      const algorithms = settingsOf(
        all,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        bucket,
      ).flatMap((c) =>
        list(
          c.props.rules as {
            applyServerSideEncryptionByDefault?: { sseAlgorithm?: string };
          }[],
        ).map((rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm),
      );
      const allowed = isLogBucket(bucket, all)
        ? ["AES256", "aws:kms"]
        : ["aws:kms"];
      if (
        algorithms.length === 0 ||
        !algorithms.every((a) => a && allowed.includes(a))
      )
        report(
          `bucket ${bucket.name} must default to ${allowed.join(" or ")} encryption, has ${algorithms.join(", ") || "none"}`,
          bucket.urn,
        );
    },
  ),
  policy(
    "s3-public-access-blocked",
    "Every bucket blocks all four public access paths.",
    BUCKET,
    (bucket, all, report) => {
      const keys = [
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
      ];
      const blocked = settingsOf(
        all,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        bucket,
      ).some((b) => keys.every((k) => b.props[k] === true));
      if (!blocked)
        report(
          `bucket ${bucket.name} does not block public access`,
          bucket.urn,
        );
    },
  ),
  policy(
    "s3-tls-only",
    "Every bucket's policy denies requests without TLS (aws:SecureTransport false).",
    BUCKET,
    (bucket, all, report) => {
      const denies = settingsOf(
        all,
        "aws:s3/bucketPolicy:BucketPolicy",
        bucket,
      ).some((p) =>
        list(policyDocument(p.props.policy)?.Statement).some(
          (s) =>
            s.Effect === "Deny" &&
            s.Condition?.Bool?.["aws:SecureTransport"] === "false",
        ),
      );
      if (!denies)
        report(
          `bucket ${bucket.name} accepts requests without TLS`,
          bucket.urn,
        );
    },
  ),
  policy(
    "s3-access-logging",
    "Every bucket that is not itself a log bucket sends S3 server access logs somewhere.",
    BUCKET,
    (bucket, all, report) => {
      if (
        !isLogBucket(bucket, all) &&
        settingsOf(all, "aws:s3/bucketLogging:BucketLogging", bucket).length ===
          0
      )
        report(`bucket ${bucket.name} has no access logging`, bucket.urn);
    },
  ),
  policy(
    "s3-replication-rtc",
    "Cross-region replication runs with Replication Time Control and its metrics (minutes of RPO, alarmed).",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    (config, _all, report) => {
      for (const rule of list(
        config.props.rules as {
          id?: string;
          destination?: Record<string, { status?: string }>;
        }[],
      ))
        if (
          rule.destination?.replicationTime?.status !== "Enabled" ||
          rule.destination?.metrics?.status !== "Enabled"
        )
          report(
            `replication rule ${rule.id ?? "?"} of ${config.name} has no Replication Time Control and metrics`,
            config.urn,
          );
    },
  ),
];

const databasePolicies = (stack: StackFacts) => [
  policy(
    "rds-encrypted-private",
    "Every database is encrypted at rest and not publicly accessible.",
    DATABASE,
    (db, _all, report) => {
      if (db.props.storageEncrypted !== true)
        report(`database ${db.name} is not encrypted`, db.urn);
      if (db.props.publiclyAccessible === true)
        report(`database ${db.name} is publicly accessible`, db.urn);
    },
  ),
  policy(
    "rds-serving-backups",
    "Every serving database keeps automated backups (standby replicas follow the tier design; a failover's promote step gets them with its resize step).",
    DATABASE,
    (db, _all, report) => {
      if (
        serving(db) &&
        !promoting(db) &&
        !((db.props.backupRetentionPeriod as number) > 0)
      )
        report(`serving database ${db.name} has no automated backups`, db.urn);
    },
  ),
  policy(
    "rds-prod-guarded",
    `In production (${PRODUCTION_KEY} on) every serving database has deletion protection and Pulumi protect (a failover's promote step: protect, deletion protection with its resize step).`,
    DATABASE,
    (db, _all, report) => {
      // The promote step holds the replica's deletion protection (ignoreChanges, so the engine
      // hands the pack the replica's value); Pulumi protect guards it until the resize step.
      const deletionProtected =
        db.props.deletionProtection === true || promoting(db);
      if (
        stack.production &&
        serving(db) &&
        !(deletionProtected && db.opts.protect)
      )
        report(
          `serving production database ${db.name} lacks deletion protection or protect (${stack.because})`,
          db.urn,
        );
    },
  ),
  policy(
    "rds-prod-multi-az",
    `In production (${PRODUCTION_KEY} on) every serving database is Multi-AZ (a failover's promote step converts with its resize step).`,
    DATABASE,
    (db, _all, report) => {
      if (
        stack.production &&
        serving(db) &&
        !promoting(db) &&
        db.props.multiAz !== true
      )
        report(
          `serving production database ${db.name} is single-AZ (${stack.because})`,
          db.urn,
        );
    },
  ),
  policy(
    "rds-backup-selection",
    "Every serving database is in an AWS Backup selection (a failover's promote step: from its resize step, which turns on the backups AWS Backup needs).",
    DATABASE,
    (db, all, report) => {
      if (
        serving(db) &&
        !promoting(db) &&
        attachedTo(all, "aws:backup/selection:Selection", "resources", db)
          .length === 0
      )
        report(`serving database ${db.name} is in no backup selection`, db.urn);
    },
  ),
  policy(
    "aurora-encrypted-private",
    "Every Aurora cluster is encrypted at rest and none of its instances is publicly accessible.",
    CLUSTER,
    (cluster, all, report) => {
      if (cluster.props.storageEncrypted !== true)
        report(`Aurora cluster ${cluster.name} is not encrypted`, cluster.urn);
      // Instances belong to the stack's clusters; checked once, with the first cluster.
      if (all.find((r) => r.type === CLUSTER) !== cluster) return;
      for (const instance of all.filter(
        (r) =>
          r.type === "aws:rds/clusterInstance:ClusterInstance" &&
          r.props.publiclyAccessible !== false,
      ))
        report(
          `Aurora instance ${instance.name} is not private (publiclyAccessible must be false)`,
          instance.urn,
        );
    },
  ),
  policy(
    "aurora-prod-multi-az",
    `In production (${PRODUCTION_KEY} on) every serving Aurora cluster with instances has at least two (a writer and a reader another zone takes over); a failover's promote step writes on the standby's until its resize step, and a headless secondary's stand-in is the Region switch plan's, not the stack's.`,
    CLUSTER,
    (cluster, all, report) => {
      if (!stack.production || !serving(cluster) || promotingRole(cluster))
        return;
      const instances = attachedTo(
        all,
        "aws:rds/clusterInstance:ClusterInstance",
        "clusterIdentifier",
        cluster,
      ).length;
      if (instances === 1)
        report(
          `serving production Aurora cluster ${cluster.name} has one instance: no reader to fail over to in another zone (${stack.because})`,
          cluster.urn,
        );
    },
  ),
  policy(
    "aurora-backup-selection",
    "Every serving Aurora cluster is in an AWS Backup selection (a secondary's from the failover's first run: it keeps automated backups of its own).",
    CLUSTER,
    (cluster, all, report) => {
      if (
        serving(cluster) &&
        attachedTo(all, "aws:backup/selection:Selection", "resources", cluster)
          .length === 0
      )
        report(
          `serving Aurora cluster ${cluster.name} is in no backup selection`,
          cluster.urn,
        );
    },
  ),
  policy(
    "aurora-prod-guarded",
    `In production (${PRODUCTION_KEY} on) every serving Aurora cluster keeps automated backups and has deletion protection and Pulumi protect (a standby secondary holds the writer's data).`,
    CLUSTER,
    (cluster, _all, report) => {
      if (!stack.production || !serving(cluster)) return;
      if (
        cluster.props.deletionProtection !== true ||
        !cluster.opts.protect ||
        !((cluster.props.backupRetentionPeriod as number) > 0)
      )
        report(
          `serving production Aurora cluster ${cluster.name} lacks deletion protection, protect or backups (${stack.because})`,
          cluster.urn,
        );
    },
  ),
];

const ISOLATED_VAULT =
  "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";

interface PlanRule {
  ruleName?: string;
  copyActions?: { destinationVaultArn?: string }[];
}

/**
 * Whether a vault ARN names one of the stack's logically air-gapped vaults: same region, and the
 * vault's name as AWS knows it (its name input) or, offline, as the mocks name its ARN (its
 * logical name). A vault ARN looks the same for both kinds of vault, so the name decides.
 */
function isIsolatedVaultArn(arn: unknown, all: PolicyResource[]): boolean {
  const [, , service, region, , kind] = String(arn).split(":");
  if (service !== "backup" || kind !== "backup-vault") return false;
  const name = String(arn).split(":").slice(6).join(":");
  return ofType(all, ISOLATED_VAULT).some(
    (v) =>
      (v.props.name === name || v.name === name) &&
      (v.provider?.props.region as string | undefined) === region,
  );
}

/**
 * Mandatory in production: every rule of every backup plan copies to a logically air-gapped vault,
 * the one copy an administrator of this account cannot delete. No Audit Manager control checks a
 * plan for it (RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT finds a missing copy only after the fact).
 */
function isolatedCopyPolicy(stack: StackFacts): StackValidationPolicy {
  return policy(
    "backup-isolated-copy-in-prod",
    `In production (${PRODUCTION_KEY} on) every backup rule also copies to a logically air-gapped vault of the stack (dr:backup.isolatedCopy), so every protected resource's recovery points reach a vault nobody in this account can delete; a plan that protects an Aurora cluster copies to one in its own region (AWS Backup copies Aurora into an air-gapped vault only within a Region).`,
    "aws:backup/plan:Plan",
    (plan, all, report) => {
      if (!stack.production) return;
      const region = plan.provider?.props.region as string | undefined;
      // By the selections' dependencies, known in a first preview too (their ARNs are not).
      const protectsAurora = attachedTo(
        all,
        "aws:backup/selection:Selection",
        "planId",
        plan,
      ).some((s) =>
        (s.propertyDependencies.resources ?? []).some(
          (r) => r.type === CLUSTER,
        ),
      );
      for (const rule of list(plan.props.rules as PlanRule[]))
        known(() => {
          const isolated = list(rule.copyActions).filter((copy) =>
            isIsolatedVaultArn(copy.destinationVaultArn, all),
          );
          if (isolated.length === 0)
            report(
              `rule ${rule.ruleName ?? "?"} of ${plan.name} copies to no logically air-gapped vault (${stack.because})`,
              plan.urn,
            );
          else if (
            protectsAurora &&
            !isolated.some(
              (copy) =>
                String(copy.destinationVaultArn).split(":")[3] === region,
            )
          )
            report(
              `rule ${rule.ruleName ?? "?"} of ${plan.name} protects an Aurora cluster but copies to an air-gapped vault in another region, which AWS Backup cannot do (${stack.because})`,
              plan.urn,
            );
        });
    },
  );
}

const backupPolicies = (stack: StackFacts) => [
  policy(
    "backup-vault-kms",
    "Every backup vault is encrypted with a customer-managed KMS key.",
    "aws:backup/vault:Vault",
    (vault, _all, report) => {
      if (
        !(vault.propertyDependencies.kmsKeyArn ?? []).length &&
        !vault.props.kmsKeyArn
      )
        report(`vault ${vault.name} has no KMS key of its own`, vault.urn);
    },
  ),
  policy(
    "backup-vault-locked-in-prod",
    `In production (${PRODUCTION_KEY} on) every backup vault is under Vault Lock.`,
    "aws:backup/vault:Vault",
    (vault, all, report) => {
      if (
        stack.production &&
        attachedTo(
          all,
          "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
          "backupVaultName",
          vault,
        ).length === 0
      )
        report(
          `production vault ${vault.name} is not locked (${stack.because})`,
          vault.urn,
        );
    },
  ),
  policy(
    "backup-cross-region-copy",
    "Every backup rule copies its recovery points to a vault in another region, at every tier (a copy to a logically air-gapped vault may stay in the region: it guards against another loss).",
    "aws:backup/plan:Plan",
    (plan, all, report) => {
      const region = plan.provider?.props.region as string | undefined;
      for (const rule of list(plan.props.rules as PlanRule[])) {
        // An isolated copy in the region does not count: it is not the other region's copy.
        const copies = list(rule.copyActions).filter(
          (copy) => !isIsolatedVaultArn(copy.destinationVaultArn, all),
        );
        if (copies.length === 0)
          report(
            `rule ${rule.ruleName ?? "?"} of ${plan.name} copies to no other region`,
            plan.urn,
          );
        for (const copy of copies)
          known(() => {
            // The vault's ARN is unknown in a first preview: checked once it is known.
            if (
              region &&
              String(copy.destinationVaultArn).split(":")[3] === region
            )
              report(
                `rule ${rule.ruleName ?? "?"} of ${plan.name} copies within ${region}`,
                plan.urn,
              );
          });
      }
    },
  ),
  {
    name: "backup-plan-present",
    description: "The stack backs up: an AWS Backup plan exists at every tier.",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      if (ofType(resources, "aws:backup/plan:Plan").length === 0)
        report("the stack has no backup plan");
    },
  } satisfies StackValidationPolicy,
];

const computePolicies = (stack: StackFacts) => [
  policy(
    "launch-template-hardened",
    "Launch templates require IMDSv2 and encrypt every volume.",
    "aws:ec2/launchTemplate:LaunchTemplate",
    (t, _all, report) => {
      if (t.props.metadataOptions?.httpTokens !== "required")
        report(`launch template ${t.name} allows IMDSv1`, t.urn);
      if (
        list(
          t.props.blockDeviceMappings as { ebs?: { encrypted?: string } }[],
        ).some((v) => v.ebs?.encrypted !== "true")
      )
        report(`launch template ${t.name} has an unencrypted volume`, t.urn);
    },
  ),
  policy(
    "no-open-ingress",
    `No security group admits the internet except on the load balancers' listener ports (${PUBLIC_PORTS.join(", ")}).`,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    (rule, _all, report) => {
      const open =
        rule.props.cidrIpv4 === "0.0.0.0/0" || rule.props.cidrIpv6 === "::/0";
      const [from, to] = [rule.props.fromPort, rule.props.toPort];
      if (open && !(from === to && PUBLIC_PORTS.includes(from as number)))
        report(`${rule.name} admits the internet on ${from}-${to}`, rule.urn);
    },
  ),
  policy(
    "alb-access-logs",
    "Every load balancer writes access logs.",
    ALB,
    (alb, _all, report) => {
      if (alb.props.accessLogs?.enabled !== true)
        report(`load balancer ${alb.name} has no access logs`, alb.urn);
    },
  ),
  policy(
    "alb-prod-deletion-protection",
    `In production (${PRODUCTION_KEY} on) every serving load balancer has deletion protection (a standby site's goes with its tier).`,
    ALB,
    (alb, _all, report) => {
      if (
        stack.production &&
        serving(alb) &&
        alb.props.enableDeletionProtection !== true
      )
        report(
          `production load balancer ${alb.name} has no deletion protection (${stack.because})`,
          alb.urn,
        );
    },
  ),
  policy(
    "alb-https-redirect",
    "Where a load balancer has an HTTPS listener, its HTTP listeners redirect to HTTPS.",
    ALB,
    (alb, all, report) => {
      const listeners = attachedTo(
        all,
        "aws:lb/listener:Listener",
        "loadBalancerArn",
        alb,
      );
      if (!listeners.some((l) => l.props.protocol === "HTTPS")) return;
      for (const l of listeners.filter((l) => l.props.protocol === "HTTP")) {
        const redirects = list(
          l.props.defaultActions as {
            type?: string;
            redirect?: { protocol?: string };
          }[],
        ).every(
          (a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS",
        );
        if (!redirects)
          report(
            `HTTP listener ${l.name} serves plain HTTP beside HTTPS`,
            l.urn,
          );
      }
    },
  ),
];

const accountPolicies = [
  policy(
    "kms-key-rotation",
    "Every customer-managed KMS key rotates yearly.",
    "aws:kms/key:Key",
    (key, _all, report) => {
      if (key.props.enableKeyRotation !== true)
        report(`KMS key ${key.name} does not rotate`, key.urn);
    },
  ),
  {
    name: "iam-no-star",
    description:
      "No IAM statement allows every action on every resource, and no role gets AdministratorAccess.",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      for (const r of [
        ...ofType(resources, "aws:iam/rolePolicy:RolePolicy"),
        ...ofType(resources, "aws:iam/policy:Policy"),
      ])
        known(() => {
          for (const s of list(policyDocument(r.props.policy)?.Statement))
            if (
              s.Effect === "Allow" &&
              list(s.Action).includes("*") &&
              list(s.Resource).includes("*")
            )
              report(`${r.name} allows * on *`, r.urn);
        });
      for (const a of ofType(
        resources,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      ))
        known(() => {
          if (String(a.props.policyArn).endsWith(":policy/AdministratorAccess"))
            report(`${a.name} attaches AdministratorAccess`, a.urn);
        });
    },
  } satisfies StackValidationPolicy,
  {
    name: "dr-tags",
    description: `Every AWS resource is created with one of the stack's providers, whose default tags carry ${DR_TAGS.join(", ")}.`,
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      for (const p of ofType(resources, "pulumi:providers:aws"))
        known(() => {
          const raw = p.props.defaultTags;
          const tags =
            (typeof raw === "string"
              ? (JSON.parse(raw) as { tags?: Record<string, string> })
              : raw
            )?.tags ?? {};
          const missing = DR_TAGS.filter((t) => !tags[t]);
          if (missing.length)
            report(
              `provider ${p.name} does not tag ${missing.join(", ")}`,
              p.urn,
            );
        });
      for (const r of resources.filter((r) => r.type.startsWith("aws:")))
        if (!r.provider || r.provider.name.startsWith("default"))
          report(
            `${r.name} uses the default provider, without the DR tags`,
            r.urn,
          );
    },
  } satisfies StackValidationPolicy,
  policy(
    "dns-health-checked",
    "Every weighted or failover record has a health check, so Route 53 can route around a dead site.",
    "aws:route53/record:Record",
    (r, _all, report) => {
      const routed =
        r.props.weightedRoutingPolicies || r.props.failoverRoutingPolicies;
      if (
        routed &&
        !(r.propertyDependencies.healthCheckId ?? []).length &&
        !r.props.healthCheckId
      )
        report(`record ${r.name} has no health check`, r.urn);
    },
  ),
  {
    name: "both-regions",
    description:
      "The stack has resources in two regions: a DR stack with one region recovers nothing.",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      const regions = new Set(
        ofType(resources, "pulumi:providers:aws").map(
          (p) => p.props.region as string,
        ),
      );
      if (regions.size < 2)
        report(
          `the stack uses ${regions.size} region(s): ${[...regions].join(", ")}`,
        );
    },
  } satisfies StackValidationPolicy,
];

/** The input paths of a value whose strings are placeholders: "zoneId", "tags.name", "rules[0].x". */
function placeholderPaths(value: unknown, at = ""): string[] {
  if (isPlaceholder(value)) return [at];
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) =>
    placeholderPaths(
      v,
      Array.isArray(value) ? `${at}[${k}]` : at ? `${at}.${k}` : k,
    ),
  );
}

/** Mandatory in production, advisory elsewhere: a new environment plans with its placeholders. */
const placeholderPolicy = (stack: StackFacts): StackValidationPolicy => ({
  name: "no-placeholders",
  description:
    `No resource input holds a tier template's placeholder (a value containing REPLACEME, or the AMI id ${PLACEHOLDER_AMI_ID}): mandatory in production, advisory elsewhere.`,
  enforcementLevel: stack.production ? "mandatory" : "advisory",
  validateStack: ({ resources }, report) => {
    for (const r of resources)
      known(() => {
        const paths = placeholderPaths(r.props);
        if (paths.length)
          report(
            `${r.name} has a template placeholder in ${paths.join(", ")}: replace it in the stack file`,
            r.urn,
          );
      });
  },
});

/**
 * The aws-dr guardrails for a stack, every one mandatory but no-placeholders outside production
 * (advisory there). The same policies for every stack: the production ones (rds-prod-*,
 * backup-vault-locked-in-prod, alb-prod-deletion-protection) find nothing where the stack is not
 * production.
 */
export function policiesFor(stack: StackFacts): StackValidationPolicy[] {
  return [
    ...s3Policies,
    ...databasePolicies(stack),
    ...backupPolicies(stack),
    isolatedCopyPolicy(stack),
    ...computePolicies(stack),
    ...accountPolicies,
    placeholderPolicy(stack),
  ];
}
