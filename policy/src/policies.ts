import type {
  PolicyResource,
  ReportViolation,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  attachedTo,
  inProd,
  list,
  ofType,
  policyDocument,
  serving,
} from "./resources";

const BUCKET = "aws:s3/bucket:Bucket";
const DATABASE = "aws:rds/instance:Instance";
const ALB = "aws:lb/loadBalancer:LoadBalancer";
const DR_TAGS = ["environment", "dr-tier", "project", "managed-by"];
/** Listener ports the internet may reach the load balancers on. */
const PUBLIC_PORTS = [80, 443];

type Check = (resources: PolicyResource[], report: ReportViolation) => void;

/** Every aws-dr policy is mandatory and sees the whole stack: settings live in separate resources. */
const policy = (
  name: string,
  description: string,
  check: Check,
): StackValidationPolicy => ({
  name,
  description,
  enforcementLevel: "mandatory",
  validateStack: (args, report) => check(args.resources, report),
});

/** Buckets that receive access logs: SSE-S3 is what log delivery accepts. */
function logBuckets(resources: PolicyResource[]): Set<string> {
  const targets = [
    ...ofType(resources, "aws:s3/bucketLogging:BucketLogging").flatMap(
      (r) => r.propertyDependencies.targetBucket ?? [],
    ),
    ...ofType(resources, ALB).flatMap(
      (r) => r.propertyDependencies.accessLogs ?? [],
    ),
  ];
  return new Set(targets.map((r) => r.urn));
}

const forEachBucket =
  (
    check: (
      bucket: PolicyResource,
      resources: PolicyResource[],
      report: ReportViolation,
    ) => void,
  ): Check =>
  (resources, report) => {
    for (const bucket of ofType(resources, BUCKET))
      check(bucket, resources, report);
  };

const s3Policies = [
  policy(
    "s3-versioned",
    "Every bucket is versioned (BucketVersioning Enabled): a deletion or overwrite keeps the old version.",
    forEachBucket((bucket, resources, report) => {
      const on = attachedTo(
        resources,
        "aws:s3/bucketVersioning:BucketVersioning",
        "bucket",
        bucket,
      ).some((v) => v.props.versioningConfiguration?.status === "Enabled");
      if (!on) report(`bucket ${bucket.name} is not versioned`, bucket.urn);
    }),
  ),
  policy(
    "s3-encrypted",
    "Every bucket is encrypted with SSE-KMS, except log buckets, which log delivery requires to be SSE-S3.",
    (resources, report) => {
      const logs = logBuckets(resources);
      for (const bucket of ofType(resources, BUCKET)) {
        const algorithms = attachedTo(
          resources,
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "bucket",
          bucket,
        ).flatMap((c) =>
          list(
            c.props.rules as {
              applyServerSideEncryptionByDefault?: { sseAlgorithm?: string };
            }[],
          ).map(
            (rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm,
          ),
        );
        const allowed = logs.has(bucket.urn)
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
      }
    },
  ),
  policy(
    "s3-public-access-blocked",
    "Every bucket blocks all four public access paths.",
    forEachBucket((bucket, resources, report) => {
      const keys = [
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
      ];
      const blocked = attachedTo(
        resources,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "bucket",
        bucket,
      ).some((b) => keys.every((k) => b.props[k] === true));
      if (!blocked)
        report(
          `bucket ${bucket.name} does not block public access`,
          bucket.urn,
        );
    }),
  ),
  policy(
    "s3-tls-only",
    "Every bucket's policy denies requests without TLS (aws:SecureTransport false).",
    forEachBucket((bucket, resources, report) => {
      const denies = attachedTo(
        resources,
        "aws:s3/bucketPolicy:BucketPolicy",
        "bucket",
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
    }),
  ),
  policy(
    "s3-access-logging",
    "Every bucket that is not itself a log bucket sends S3 server access logs somewhere.",
    (resources, report) => {
      const logs = logBuckets(resources);
      for (const bucket of ofType(resources, BUCKET)) {
        if (logs.has(bucket.urn)) continue;
        if (
          attachedTo(
            resources,
            "aws:s3/bucketLogging:BucketLogging",
            "bucket",
            bucket,
          ).length === 0
        )
          report(`bucket ${bucket.name} has no access logging`, bucket.urn);
      }
    },
  ),
  policy(
    "s3-replication-rtc",
    "Cross-region replication runs with Replication Time Control and its metrics (minutes of RPO, alarmed).",
    (resources, report) => {
      for (const config of ofType(
        resources,
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      )) {
        for (const rule of list(
          config.props.rules as {
            id?: string;
            destination?: Record<string, { status?: string }>;
          }[],
        )) {
          if (
            rule.destination?.replicationTime?.status !== "Enabled" ||
            rule.destination?.metrics?.status !== "Enabled"
          )
            report(
              `replication rule ${rule.id ?? "?"} of ${config.name} has no Replication Time Control and metrics`,
              config.urn,
            );
        }
      }
    },
  ),
];

const forEachDatabase =
  (check: (db: PolicyResource, report: ReportViolation) => void): Check =>
  (resources, report) => {
    for (const db of ofType(resources, DATABASE)) check(db, report);
  };

const databasePolicies = [
  policy(
    "rds-encrypted-private",
    "Every database is encrypted at rest and not publicly accessible.",
    forEachDatabase((db, report) => {
      if (db.props.storageEncrypted !== true)
        report(`database ${db.name} is not encrypted`, db.urn);
      if (db.props.publiclyAccessible === true)
        report(`database ${db.name} is publicly accessible`, db.urn);
    }),
  ),
  policy(
    "rds-serving-backups",
    "Every serving database keeps automated backups (standby replicas follow the tier design).",
    forEachDatabase((db, report) => {
      if (serving(db) && !((db.props.backupRetentionPeriod as number) > 0))
        report(`serving database ${db.name} has no automated backups`, db.urn);
    }),
  ),
  policy(
    "rds-prod-guarded",
    "In prod every serving database has deletion protection and Pulumi protect.",
    forEachDatabase((db, report) => {
      if (
        inProd(db) &&
        serving(db) &&
        !(db.props.deletionProtection === true && db.opts.protect)
      )
        report(
          `serving prod database ${db.name} lacks deletion protection or protect`,
          db.urn,
        );
    }),
  ),
  policy(
    "rds-prod-multi-az",
    "In prod every serving database is Multi-AZ.",
    forEachDatabase((db, report) => {
      if (inProd(db) && serving(db) && db.props.multiAz !== true)
        report(`serving prod database ${db.name} is single-AZ`, db.urn);
    }),
  ),
  policy(
    "rds-backup-selection",
    "Every serving database is in an AWS Backup selection.",
    (resources, report) => {
      for (const db of ofType(resources, DATABASE).filter(serving)) {
        if (
          attachedTo(
            resources,
            "aws:backup/selection:Selection",
            "resources",
            db,
          ).length === 0
        )
          report(
            `serving database ${db.name} is in no backup selection`,
            db.urn,
          );
      }
    },
  ),
];

const backupPolicies = [
  policy(
    "backup-vault-kms",
    "Every backup vault is encrypted with a customer-managed KMS key.",
    (resources, report) => {
      for (const vault of ofType(resources, "aws:backup/vault:Vault"))
        if (
          !vault.props.kmsKeyArn &&
          !(vault.propertyDependencies.kmsKeyArn ?? []).length
        )
          report(`vault ${vault.name} has no KMS key of its own`, vault.urn);
    },
  ),
  policy(
    "backup-vault-locked-in-prod",
    "In prod every backup vault is under Vault Lock.",
    (resources, report) => {
      for (const vault of ofType(resources, "aws:backup/vault:Vault").filter(
        inProd,
      ))
        if (
          attachedTo(
            resources,
            "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
            "backupVaultName",
            vault,
          ).length === 0
        )
          report(`prod vault ${vault.name} is not locked`, vault.urn);
    },
  ),
  policy(
    "backup-cross-region-copy",
    "Every backup rule copies its recovery points to a vault in another region, at every tier.",
    (resources, report) => {
      const plans = ofType(resources, "aws:backup/plan:Plan");
      if (plans.length === 0) report("the stack has no backup plan");
      for (const plan of plans) {
        const region = plan.provider?.props.region as string | undefined;
        for (const rule of list(
          plan.props.rules as {
            ruleName?: string;
            copyActions?: { destinationVaultArn?: string }[];
          }[],
        )) {
          const targets = list(rule.copyActions).map(
            (c) => c.destinationVaultArn,
          );
          // Unknown in a first preview (the vault's ARN): only a known ARN in the same region fails.
          const sameRegion = targets.some(
            (arn) =>
              typeof arn === "string" && region && arn.split(":")[3] === region,
          );
          if (targets.length === 0 || sameRegion)
            report(
              `rule ${rule.ruleName ?? "?"} of ${plan.name} copies to no other region`,
              plan.urn,
            );
        }
      }
    },
  ),
];

const computePolicies = [
  policy(
    "launch-template-hardened",
    "Launch templates require IMDSv2 and encrypt every volume.",
    (resources, report) => {
      for (const t of ofType(
        resources,
        "aws:ec2/launchTemplate:LaunchTemplate",
      )) {
        if (t.props.metadataOptions?.httpTokens !== "required")
          report(`launch template ${t.name} allows IMDSv1`, t.urn);
        const volumes = list(
          t.props.blockDeviceMappings as { ebs?: { encrypted?: string } }[],
        );
        if (volumes.some((v) => v.ebs?.encrypted !== "true"))
          report(`launch template ${t.name} has an unencrypted volume`, t.urn);
      }
    },
  ),
  policy(
    "no-open-ingress",
    "No security group admits the internet except on the load balancers' listener ports (80, 443).",
    (resources, report) => {
      for (const rule of ofType(
        resources,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      )) {
        const open =
          rule.props.cidrIpv4 === "0.0.0.0/0" || rule.props.cidrIpv6 === "::/0";
        const ports = [rule.props.fromPort, rule.props.toPort];
        if (
          open &&
          !(ports[0] === ports[1] && PUBLIC_PORTS.includes(ports[0] as number))
        )
          report(
            `${rule.name} admits the internet on ${ports.join("-")}`,
            rule.urn,
          );
      }
    },
  ),
  policy(
    "alb-access-logs",
    "Every load balancer writes access logs.",
    (resources, report) => {
      for (const alb of ofType(resources, ALB))
        if (alb.props.accessLogs?.enabled !== true)
          report(`load balancer ${alb.name} has no access logs`, alb.urn);
    },
  ),
  policy(
    "alb-prod-deletion-protection",
    "In prod every serving load balancer has deletion protection (a standby site's goes with its tier).",
    (resources, report) => {
      for (const alb of ofType(resources, ALB).filter(
        (r) => inProd(r) && serving(r),
      ))
        if (alb.props.enableDeletionProtection !== true)
          report(
            `prod load balancer ${alb.name} has no deletion protection`,
            alb.urn,
          );
    },
  ),
  policy(
    "alb-https-redirect",
    "Where a load balancer has an HTTPS listener, its HTTP listeners redirect to HTTPS.",
    (resources, report) => {
      for (const alb of ofType(resources, ALB)) {
        const listeners = attachedTo(
          resources,
          "aws:lb/listener:Listener",
          "loadBalancerArn",
          alb,
        );
        if (!listeners.some((l) => l.props.protocol === "HTTPS")) continue;
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
      }
    },
  ),
];

const accountPolicies = [
  policy(
    "kms-key-rotation",
    "Every customer-managed KMS key rotates yearly.",
    (resources, report) => {
      for (const key of ofType(resources, "aws:kms/key:Key"))
        if (key.props.enableKeyRotation !== true)
          report(`KMS key ${key.name} does not rotate`, key.urn);
    },
  ),
  policy(
    "iam-no-star",
    "No IAM statement allows every action on every resource, and no role gets AdministratorAccess.",
    (resources, report) => {
      const documents: [PolicyResource, unknown][] = [
        ...ofType(resources, "aws:iam/rolePolicy:RolePolicy").map(
          (r): [PolicyResource, unknown] => [r, r.props.policy],
        ),
        ...ofType(resources, "aws:iam/policy:Policy").map(
          (r): [PolicyResource, unknown] => [r, r.props.policy],
        ),
      ];
      for (const [r, doc] of documents)
        for (const s of list(policyDocument(doc)?.Statement))
          if (
            s.Effect === "Allow" &&
            list(s.Action).includes("*") &&
            list(s.Resource).includes("*")
          )
            report(`${r.name} allows * on *`, r.urn);
      for (const a of ofType(
        resources,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      ))
        if (String(a.props.policyArn).endsWith(":policy/AdministratorAccess"))
          report(`${a.name} attaches AdministratorAccess`, a.urn);
    },
  ),
  policy(
    "dr-tags",
    "Every AWS resource is created with one of the stack's providers, whose default tags carry environment, dr-tier, project and managed-by.",
    (resources, report) => {
      for (const p of ofType(resources, "pulumi:providers:aws")) {
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
      }
      for (const r of resources.filter((r) => r.type.startsWith("aws:")))
        if (!r.provider || r.provider.name.startsWith("default"))
          report(
            `${r.name} uses the default provider, without the DR tags`,
            r.urn,
          );
    },
  ),
  policy(
    "dns-health-checked",
    "Every weighted or failover record has a health check, so Route 53 can route around a dead site.",
    (resources, report) => {
      for (const r of ofType(resources, "aws:route53/record:Record")) {
        const routed =
          r.props.weightedRoutingPolicies || r.props.failoverRoutingPolicies;
        const checked =
          r.props.healthCheckId ||
          (r.propertyDependencies.healthCheckId ?? []).length;
        if (routed && !checked)
          report(`record ${r.name} has no health check`, r.urn);
      }
    },
  ),
  policy(
    "both-regions",
    "The stack has resources in two regions: a DR stack with one region recovers nothing.",
    (resources, report) => {
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
  ),
];

/** The aws-dr guardrails, every one mandatory. */
export const POLICIES: StackValidationPolicy[] = [
  ...s3Policies,
  ...databasePolicies,
  ...backupPolicies,
  ...computePolicies,
  ...accountPolicies,
];
