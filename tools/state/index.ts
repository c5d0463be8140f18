// The state bootstrap (its own Pulumi project, tools/state): where every aws-dr stack keeps its
// Pulumi state and encrypts its secrets, such that both survive the loss of the primary region, and
// the GitHub roles that reach them, each environment's only.
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import { Provider } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { BucketReplication } from "@aws-dr/replication";
import { LogBucket, SecureBucket } from "@aws-dr/storage";
import { TAG_KEYS } from "@aws-dr/contracts";
import {
  BOOTSTRAP_PROJECT,
  BOOTSTRAP_TAG,
  BOUNDARY_CONDITIONED_ACTIONS,
  boundaryPolicyName,
  deployRoleName,
  FORBIDDEN_MANAGED_POLICIES,
  GITHUB_OIDC,
  PROJECT,
  previewRoleName,
  secretsKeyAlias,
  stackLockKey,
  DEPLOY_ONLY_SERVICES,
  STACK_ROLE_SERVICES,
  stackObjectKeys,
  stateSettings,
  trustedSubjects,
  type StateSettings,
} from "./settings";

type Opts = { provider: Provider };

/** One environment's secrets key: multi-Region, with its replica and one alias in both regions. */
function secretsKey(
  env: string,
  primary: Opts,
  recovery: Opts,
  guard: pulumi.CustomResourceOptions,
) {
  const key = new kms.Key(
    `${env}-secrets-key`,
    {
      description: `Encrypts the aws-dr ${env} stack's secrets (Pulumi awskms secrets provider)`,
      multiRegion: true,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    },
    { ...primary, ...guard },
  );
  const replica = new kms.ReplicaKey(
    `${env}-secrets-key-replica`,
    {
      description: `Replica of the aws-dr ${env} secrets key: decrypts the stack's secrets when the primary region is down`,
      primaryKeyArn: key.arn,
      deletionWindowInDays: 30,
    },
    { ...recovery, ...guard },
  );
  const alias = secretsKeyAlias(env);
  new kms.Alias(
    `${env}-secrets-key-alias`,
    { name: alias, targetKeyId: key.arn },
    primary,
  );
  new kms.Alias(
    `${env}-secrets-key-replica-alias`,
    { name: alias, targetKeyId: replica.arn },
    recovery,
  );
  return { key, replica, alias };
}

/** The state buckets as the roles' policies name them. */
interface StateBuckets {
  /** The primary bucket: ordinary runs read and write here. */
  state: SecureBucket;
  /** The replication destination: read only (what it holds comes from the primary). */
  replica: SecureBucket;
  /** Failover-time state, in the recovery region, written by disaster-day runs only. */
  failover: SecureBucket;
  /** The three buckets' access-log buckets. */
  logs: pulumi.Output<string>[];
}

const allActions = (services: readonly string[]) =>
  services.map((service) => `${service}:*`);

/**
 * Deny on whatever carries another environment's `environment` tag (the stacks' providers put it
 * on every resource, defaultTags) and on creating or tagging anything with it. Only services whose
 * actions take aws:ResourceTag/aws:RequestTag are fenced by it; elsewhere the condition is absent
 * and the statement denies nothing (S3 objects, Route 53 records: see docs/ci-and-state.md#roles).
 */
function otherEnvironmentsFence(
  others: string[],
  services: readonly string[],
): iam.PolicyStatement[] {
  if (others.length === 0) return [];
  const tag = TAG_KEYS.environment;
  return [
    {
      Sid: "NoOtherEnvironmentsResources",
      Effect: "Deny",
      Action: allActions(services),
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/${tag}`]: others } },
    },
    {
      Sid: "NoResourcesTaggedForOtherEnvironments",
      Effect: "Deny",
      Action: allActions(services),
      Resource: "*",
      Condition: { StringEquals: { [`aws:RequestTag/${tag}`]: others } },
    },
  ];
}

/**
 * An environment's permissions boundary, `aws-dr-<env>-boundary`: the most any role its stack
 * creates may ever do, whatever policies the deploy role gives it. The services the program's roles
 * use (STACK_ROLE_SERVICES) and iam:PassRole; no IAM change, no sts (no role chaining), nothing of
 * the state buckets, their log buckets or keys, no environment's secrets key, nothing tagged for
 * another environment and no IAM resource of the bootstrap.
 */
function boundaryPolicy(
  env: string,
  settings: StateSettings,
  buckets: StateBuckets,
  keys: Record<string, ReturnType<typeof secretsKey>>,
  accountId: pulumi.Output<string>,
  opts: Opts,
): pulumi.Output<string> {
  const stateBuckets = [buckets.state, buckets.replica, buckets.failover];
  const bucketArns = [
    ...stateBuckets.map((b) => b.arn),
    ...buckets.logs.map((name) => pulumi.interpolate`arn:aws:s3:::${name}`),
  ];
  const policy = new iam.Policy(
    `${env}-boundary`,
    {
      name: boundaryPolicyName(env),
      description: `aws-dr ${env}: permissions boundary of every role the ${env} stack creates (dr:iamPermissionsBoundary)`,
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "TheProgramsServices",
            Effect: "Allow",
            Action: [...allActions(STACK_ROLE_SERVICES), "iam:PassRole"],
            Resource: "*",
          },
          {
            Sid: "NoIamChanges",
            Effect: "Deny",
            Action: [
              "iam:Add*",
              "iam:Attach*",
              "iam:Create*",
              "iam:Delete*",
              "iam:Detach*",
              "iam:Put*",
              "iam:Remove*",
              "iam:Set*",
              "iam:Tag*",
              "iam:Untag*",
              "iam:Update*",
              "iam:Upload*",
            ],
            Resource: "*",
          },
          {
            Sid: "NoPulumiState",
            Effect: "Deny",
            Action: ["s3:*"],
            Resource: bucketArns.flatMap((arn) => [
              arn,
              pulumi.interpolate`${arn}/*`,
            ]),
          },
          {
            Sid: "NoStateOrSecretsKeys",
            Effect: "Deny",
            Action: ["kms:*"],
            Resource: [
              ...stateBuckets.map((b) => b.kmsKey.arn),
              ...settings.environments.flatMap((e) => [
                keys[e].key.arn,
                keys[e].replica.arn,
              ]),
            ],
          },
          ...otherEnvironmentsFence(
            settings.environments.filter((e) => e !== env),
            [...STACK_ROLE_SERVICES, "iam"],
          ),
          {
            Sid: "NoBootstrapIamResources",
            Effect: "Deny",
            Action: ["iam:*"],
            Resource: "*",
            Condition: {
              StringEquals: {
                [`aws:ResourceTag/${BOOTSTRAP_TAG.key}`]: BOOTSTRAP_TAG.value,
              },
            },
          },
        ],
      },
    },
    opts,
  );
  // The ARN IAM gives a policy of path "/": what the deploy role's conditions compare with.
  return pulumi.interpolate`arn:aws:iam::${accountId}:policy/${policy.name}`;
}

const objectArns = (bucket: SecureBucket, keys: string[]) =>
  keys.map((key) => pulumi.interpolate`${bucket.arn}/${key}`);

/**
 * An environment's GitHub roles: `preview` (read-only AWS, its own stack's state and key) and
 * `deploy` (what a `pulumi up` of the stack needs, fenced off the other environments' state and keys
 * and the bootstrap's own resources).
 */
function githubRoles(
  env: string,
  settings: StateSettings,
  oidcProviderArn: pulumi.Input<string>,
  buckets: StateBuckets,
  keys: Record<string, ReturnType<typeof secretsKey>>,
  boundaries: Record<string, pulumi.Output<string>>,
  accountId: pulumi.Output<string>,
  opts: Opts,
) {
  const subjects = trustedSubjects(settings, env);
  const trust = (sub: string[]): iam.PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC}:aud`]: "sts.amazonaws.com",
            [`${GITHUB_OIDC}:sub`]: sub,
          },
        },
      },
    ],
  });
  const own = stackObjectKeys(PROJECT, env);
  const others = [
    ...settings.environments
      .filter((e) => e !== env)
      .flatMap((e) => stackObjectKeys(PROJECT, e)),
    ...stackObjectKeys(BOOTSTRAP_PROJECT, "*"),
  ];
  const all = [buckets.state, buckets.replica, buckets.failover];
  const bucketKeys = all.map((b) => b.kmsKey.arn);
  const key = keys[env];
  const otherKeys = settings.environments
    .filter((e) => e !== env)
    .flatMap((e) => [keys[e].key.arn, keys[e].replica.arn]);
  const listState: iam.PolicyStatement = {
    Sid: "ListStateBuckets",
    Effect: "Allow",
    Action: ["s3:ListBucket", "s3:GetBucketLocation"],
    Resource: all.map((b) => b.arn),
  };
  // Whatever else a role is granted (the deploy role's broad rights), never another environment's
  // state or secrets, the bootstrap's own state, or the state buckets' and keys' settings.
  const fences: iam.PolicyStatement[] = [
    {
      Sid: "NoOtherStacksState",
      Effect: "Deny",
      Action: ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"],
      Resource: all.flatMap((b) => objectArns(b, others)),
    },
    {
      Sid: "NoWritesToTheReplica",
      Effect: "Deny",
      Action: ["s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject"],
      Resource: [pulumi.interpolate`${buckets.replica.arn}/*`],
    },
    ...(otherKeys.length > 0
      ? [
          {
            Sid: "NoOtherEnvironmentsSecrets",
            Effect: "Deny",
            Action: [
              "kms:Decrypt",
              "kms:Encrypt",
              "kms:GenerateDataKey*",
              "kms:ReEncrypt*",
              "kms:CreateGrant",
            ],
            Resource: otherKeys,
          } satisfies iam.PolicyStatement,
        ]
      : []),
    {
      Sid: "NoStateSettingsChanges",
      Effect: "Deny",
      Action: [
        "s3:DeleteBucket*",
        "s3:PutBucket*",
        "s3:PutReplicationConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutEncryptionConfiguration",
        "s3:PutObjectLockConfiguration",
        "kms:ScheduleKeyDeletion",
        "kms:DisableKey",
        "kms:PutKeyPolicy",
        "kms:UpdateAlias",
        "kms:DeleteAlias",
        "kms:UpdatePrimaryRegion",
      ],
      Resource: [
        ...all.map((b) => b.arn),
        ...bucketKeys,
        ...settings.environments.flatMap((e) => [
          keys[e].key.arn,
          keys[e].replica.arn,
        ]),
      ],
    },
    // Neither role needs another role's rights: a role it made or took over is no way out.
    {
      Sid: "NoRoleChaining",
      Effect: "Deny",
      Action: ["sts:AssumeRole"],
      Resource: "*",
    },
    // The other environments' resources, where AWS evaluates their environment tag.
    ...otherEnvironmentsFence(
      settings.environments.filter((e) => e !== env),
      [...STACK_ROLE_SERVICES, ...DEPLOY_ONLY_SERVICES, "iam", "sts"],
    ),
  ];

  const preview = new iam.Role(
    `${env}-preview`,
    {
      name: previewRoleName(env),
      description: `aws-dr ${env}: pulumi preview from GitHub (${subjects.preview.join(", ")}); read-only`,
      assumeRolePolicy: trust(subjects.preview),
      maxSessionDuration: 3600,
    },
    opts,
  );
  // The program's lookups (account, zones, replicas, backups, the Region switch plan) and the
  // engine's reads: AWS's read-only policy, fenced by the statements above.
  new iam.RolePolicyAttachment(
    `${env}-preview-read-only`,
    {
      role: preview.name,
      policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    },
    opts,
  );
  new iam.RolePolicy(
    `${env}-preview-state`,
    {
      role: preview.id,
      policy: {
        Version: "2012-10-17",
        Statement: [
          listState,
          {
            Sid: "ReadOwnStackState",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: [buckets.state, buckets.replica].flatMap((b) =>
              objectArns(b, [".pulumi/meta.yaml", ...own]),
            ),
          },
          {
            Sid: "LockOwnStack",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:DeleteObject"],
            Resource: objectArns(buckets.state, [stackLockKey(PROJECT, env)]),
          },
          {
            Sid: "DecryptStateObjects",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: bucketKeys,
          },
          {
            Sid: "DecryptOwnSecrets",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [key.key.arn, key.replica.arn],
          },
          ...fences,
        ],
      },
    },
    opts,
  );

  const boundary = boundaries[env];
  const roles = pulumi.interpolate`arn:aws:iam::${accountId}:role/*`;
  const deploy = new iam.Role(
    `${env}-deploy`,
    {
      name: deployRoleName(env),
      description: `aws-dr ${env}: pulumi up from GitHub (${subjects.deploy.join(", ")})`,
      assumeRolePolicy: trust(subjects.deploy),
      maxSessionDuration: 3600 * 4,
    },
    opts,
  );
  // Broad on purpose: a pulumi up of the stack creates networks, fleets, databases, buckets, keys,
  // vaults, DNS records, alarms, schedules and ARC plans. PowerUserAccess is every service but IAM,
  // Organizations and Account; IAM is granted below on roles (created and changed only with the
  // environment's boundary), instance profiles and policies only.
  new iam.RolePolicyAttachment(
    `${env}-deploy-power-user`,
    {
      role: deploy.name,
      policyArn: "arn:aws:iam::aws:policy/PowerUserAccess",
    },
    opts,
  );
  new iam.RolePolicy(
    `${env}-deploy-state`,
    {
      role: deploy.id,
      policy: {
        Version: "2012-10-17",
        Statement: [
          listState,
          {
            Sid: "ReadWriteOwnStackState",
            Effect: "Allow",
            Action: [
              "s3:GetObject",
              "s3:GetObjectVersion",
              "s3:PutObject",
              "s3:DeleteObject",
            ],
            Resource: [buckets.state, buckets.failover].flatMap((b) =>
              objectArns(b, own),
            ),
          },
          {
            Sid: "ReadStateLayout",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: [
              ...all.flatMap((b) => objectArns(b, [".pulumi/meta.yaml"])),
              ...objectArns(buckets.replica, own),
            ],
          },
          {
            // Disaster day seeds the failover bucket's layout from the replica's.
            Sid: "SeedFailoverLayout",
            Effect: "Allow",
            Action: ["s3:PutObject"],
            Resource: objectArns(buckets.failover, [".pulumi/meta.yaml"]),
          },
          {
            Sid: "StateObjectsKeys",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: bucketKeys,
          },
          {
            Sid: "OwnSecrets",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:DescribeKey"],
            Resource: [key.key.arn, key.replica.arn],
          },
          ...fences,
        ],
      },
    },
    opts,
  );
  // IAM in a managed policy of its own: the inline policy above is near IAM's 10,240-character limit
  // of a role's inline policies. Tagged by the bootstrap's provider, so no deploy role changes it.
  const iamPolicy = new iam.Policy(
    `${env}-deploy-iam`,
    {
      name: `${deployRoleName(env)}-iam`,
      description: `aws-dr ${env}: what the deploy role may do in IAM (roles only with the ${env} boundary)`,
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            // A role the stack creates or changes carries its environment's boundary: without it
            // the deploy role could make a role of any power (AdministratorAccess) and use it.
            Sid: "RolesOnlyWithTheBoundary",
            Effect: "Allow",
            Action: BOUNDARY_CONDITIONED_ACTIONS,
            Resource: [roles],
            Condition: {
              StringEquals: { "iam:PermissionsBoundary": boundary },
            },
          },
          {
            Sid: "StackIamResources",
            Effect: "Allow",
            Action: [
              "iam:GetRole",
              "iam:DeleteRole",
              "iam:UpdateRole",
              "iam:UpdateRoleDescription",
              "iam:UpdateAssumeRolePolicy",
              "iam:TagRole",
              "iam:UntagRole",
              "iam:ListRoleTags",
              "iam:GetRolePolicy",
              "iam:ListRolePolicies",
              "iam:ListAttachedRolePolicies",
              "iam:PassRole",
              "iam:ListInstanceProfilesForRole",
              "iam:GetInstanceProfile",
              "iam:CreateInstanceProfile",
              "iam:DeleteInstanceProfile",
              "iam:AddRoleToInstanceProfile",
              "iam:RemoveRoleFromInstanceProfile",
              "iam:TagInstanceProfile",
              "iam:GetPolicy",
              "iam:GetPolicyVersion",
              "iam:ListPolicyVersions",
            ],
            Resource: [
              roles,
              pulumi.interpolate`arn:aws:iam::${accountId}:instance-profile/*`,
              "arn:aws:iam::aws:policy/*",
            ],
          },
          {
            Sid: "KeepTheBoundaries",
            Effect: "Deny",
            Action: ["iam:DeleteRolePermissionsBoundary"],
            Resource: [roles],
          },
          {
            Sid: "NoChangesToTheBoundaryPolicies",
            Effect: "Deny",
            Action: [
              "iam:CreatePolicyVersion",
              "iam:SetDefaultPolicyVersion",
              "iam:DeletePolicy",
              "iam:DeletePolicyVersion",
              "iam:TagPolicy",
              "iam:UntagPolicy",
            ],
            Resource: settings.environments.map((e) => boundaries[e]),
          },
          {
            Sid: "NoPowerfulManagedPolicies",
            Effect: "Deny",
            Action: ["iam:AttachRolePolicy"],
            Resource: [roles],
            Condition: {
              ArnEquals: {
                "iam:PolicyARN": FORBIDDEN_MANAGED_POLICIES.map(
                  (name) => `arn:aws:iam::aws:policy/${name}`,
                ),
              },
            },
          },
          {
            // The replication role, the OIDC provider, the boundaries: the bootstrap's, not a stack's.
            Sid: "NoBootstrapIamResources",
            Effect: "Deny",
            Action: ["iam:*"],
            Resource: "*",
            Condition: {
              StringEquals: {
                [`aws:ResourceTag/${BOOTSTRAP_TAG.key}`]: BOOTSTRAP_TAG.value,
              },
            },
          },
          {
            Sid: "ServiceLinkedRoles",
            Effect: "Allow",
            Action: ["iam:CreateServiceLinkedRole"],
            Resource: [
              pulumi.interpolate`arn:aws:iam::${accountId}:role/aws-service-role/*`,
            ],
          },
          {
            // No role may make itself or another CI role more powerful.
            Sid: "NoChangesToTheCiRoles",
            Effect: "Deny",
            Action: ["iam:*"],
            Resource: settings.environments.flatMap((e) => [
              pulumi.interpolate`arn:aws:iam::${accountId}:role/${previewRoleName(e)}`,
              pulumi.interpolate`arn:aws:iam::${accountId}:role/${deployRoleName(e)}`,
            ]),
          },
        ],
      },
    },
    opts,
  );
  new iam.RolePolicyAttachment(
    `${env}-deploy-iam`,
    { role: deploy.name, policyArn: iamPolicy.arn },
    opts,
  );
  return { preview, deploy };
}

/**
 * A state bucket in the primary region (versioned, SSE-KMS, TLS only, no public access, access
 * logged) replicated one way with RTC into one in the recovery region, a failover bucket in the
 * recovery region that nothing replicates into (disaster-day runs write there, so objects the
 * primary still had queued when it went down can never land on failover-time state), one
 * multi-Region secrets key per environment with a replica and the same alias in both regions, and
 * per environment a preview and a deploy role for GitHub's OIDC tokens.
 */
async function main(): Promise<Record<string, unknown>> {
  const settings = stateSettings(new pulumi.Config("state"));
  const { primaryRegion, recoveryRegion, protect } = settings;
  const provider = (name: string, region: string) =>
    new Provider(name, {
      region: region as Region,
      // STS of the recovery region, like the stacks: answers when the primary region does not.
      stsRegion: recoveryRegion,
      defaultTags: { tags: { "aws-dr:purpose": "pulumi-state" } },
    });
  const primary = { provider: provider("primary", primaryRegion) };
  const recovery = { provider: provider("recovery", recoveryRegion) };
  const accountId = getCallerIdentityOutput({}, recovery).accountId;
  const guard = { protect, retainOnDelete: protect };

  const keys = Object.fromEntries(
    settings.environments.map((env) => [
      env,
      secretsKey(env, primary, recovery, guard),
    ]),
  );

  const logs: pulumi.Output<string>[] = [];
  const bucket = (name: string, opts: Opts) => {
    const accessLogBucket = new LogBucket(
      `${name}-logs`,
      { accountId, retentionDays: 365, protect },
      opts,
    ).name;
    logs.push(accessLogBucket);
    return new SecureBucket(
      name,
      {
        protect,
        // Old state versions are the undo of a bad `pulumi up`: kept a year.
        noncurrentExpireDays: 365,
        accessLogBucket,
      },
      opts,
    );
  };
  const state = bucket("state", primary);
  const stateReplica = bucket("state-replica", recovery);
  const stateFailover = bucket("state-failover", recovery);
  // One way, primary -> recovery; the failover bucket is no replication's destination.
  new BucketReplication(
    "state-replication",
    {
      source: {
        bucket: state.bucket,
        versioning: state.versioning,
        kmsKeyArn: state.kmsKey.arn,
      },
      destination: {
        bucket: stateReplica.bucket,
        versioning: stateReplica.versioning,
        kmsKeyArn: stateReplica.kmsKey.arn,
      },
    },
    primary,
  );

  // IAM is global: the roles and the OIDC provider go through the recovery provider, whose STS
  // answers when the primary region does not.
  const oidcProviderArn =
    settings.oidcProviderArn ??
    new iam.OpenIdConnectProvider(
      "github-oidc",
      {
        url: `https://${GITHUB_OIDC}`,
        clientIdLists: ["sts.amazonaws.com"],
      },
      recovery,
    ).arn;
  const buckets = {
    state,
    replica: stateReplica,
    failover: stateFailover,
    logs,
  };
  const boundaries = Object.fromEntries(
    settings.environments.map((env) => [
      env,
      boundaryPolicy(env, settings, buckets, keys, accountId, recovery),
    ]),
  );
  const roles = Object.fromEntries(
    settings.environments.map((env) => [
      env,
      githubRoles(
        env,
        settings,
        oidcProviderArn,
        buckets,
        keys,
        boundaries,
        accountId,
        recovery,
      ),
    ]),
  );

  const login = (name: pulumi.Output<string>, region: string) =>
    pulumi.interpolate`s3://${name}?region=${region}`;
  const perEnv = <T>(f: (env: string) => T) =>
    Object.fromEntries(settings.environments.map((env) => [env, f(env)]));
  return {
    // Ordinary runs (vars.PULUMI_BACKEND_URL).
    loginUrl: login(state.name, primaryRegion),
    // Disaster-day runs (vars.PULUMI_RECOVERY_BACKEND_URL): the failover bucket, seeded from the
    // replica once per disaster (docs/disaster-day.md#state).
    recoveryLoginUrl: login(stateFailover.name, recoveryRegion),
    // The replication destination: read it, never write it (what it holds comes from the primary).
    replicaLoginUrl: login(stateReplica.name, recoveryRegion),
    // No region in the URL: the CLI's AWS region picks the key (AWS_REGION), and the replica
    // decrypts what the primary encrypted (KMS finds a multi-Region key by the ciphertext). With
    // region= in the URL, the state would keep asking the dead region.
    secretsProviders: perEnv((env) => `awskms://${keys[env].alias}`),
    secretsKeyAliases: perEnv((env) => keys[env].alias),
    secretsKeyArns: perEnv((env) => keys[env].key.arn),
    secretsKeyReplicaArns: perEnv((env) => keys[env].replica.arn),
    previewRoleArns: perEnv((env) => roles[env].preview.arn),
    deployRoleArns: perEnv((env) => roles[env].deploy.arn),
    // Each stack's dr:iamPermissionsBoundary: the deploy role creates and changes roles only with it.
    permissionsBoundaryArns: perEnv((env) => boundaries[env]),
    primaryRegion,
    recoveryRegion,
  };
}

export = main;
