import * as pulumi from "@pulumi/pulumi";
import { isRegion } from "@aws-dr/model";

/** The aws-dr program's Pulumi project: its state lives under these keys of a DIY backend. */
export const PROJECT = "aws-dr";
/** The bootstrap's own project (its state moves into the bucket it makes). */
export const BOOTSTRAP_PROJECT = "aws-dr-state";

/** The alias of an environment's secrets key, the same in both regions. */
export const secretsKeyAlias = (env: string) => `alias/aws-dr-${env}-secrets`;

/** The IAM role names the workflows assume for an environment. */
export const previewRoleName = (env: string) => `aws-dr-${env}-preview`;
export const deployRoleName = (env: string) => `aws-dr-${env}-deploy`;

/**
 * The managed policy every role an environment's stack creates carries as its permissions boundary
 * (the stack's dr:iamPermissionsBoundary): the deploy role may create and change roles only with it.
 */
export const boundaryPolicyName = (env: string) => `aws-dr-${env}-boundary`;

/** The tag the bootstrap's provider puts on everything it creates (never on a stack's resources). */
export const BOOTSTRAP_TAG = { key: "aws-dr:purpose", value: "pulumi-state" };

/**
 * The services whose actions the roles a stack creates use (the instance, backup, replication,
 * fence publisher, FIS, Region switch, endpoint switch and approver roles and AWS's managed
 * policies they carry): a boundary allows these and nothing else, and the environment tag fences
 * are written for them. A new service in the program goes here first.
 */
export const STACK_ROLE_SERVICES = [
  "arc-region-switch",
  "autoscaling",
  "backup",
  "backup-storage",
  "cloudwatch",
  "dynamodb",
  "ec2",
  "ec2messages",
  "elasticloadbalancing",
  "events",
  "fis",
  "kms",
  "lambda",
  "logs",
  "rds",
  "resiliencehub",
  "route53",
  "s3",
  // EventBridge Scheduler holds the primary fence's schedule: fenced by environment tag like the
  // rest, so no other environment's role can lift or set a fence.
  "scheduler",
  "sns",
  "ssm",
  "ssmmessages",
  "tag",
] as const;

/**
 * Services only the deploy role uses for the stack (no role the stack creates does, so not in the
 * boundary), fenced by environment tag like the rest: AWS RAM holds the air-gapped vaults' shares,
 * which another environment's pipeline must not unshare.
 */
export const DEPLOY_ONLY_SERVICES = ["ram"] as const;

/**
 * The IAM actions the deploy role may take only on a role that carries (or gets) its environment's
 * boundary: they take the condition key iam:PermissionsBoundary.
 */
export const BOUNDARY_CONDITIONED_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePermissionsBoundary",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
];

/** AWS managed policies no role of a stack may carry, whatever its boundary. */
export const FORBIDDEN_MANAGED_POLICIES = [
  "AdministratorAccess",
  "IAMFullAccess",
  "PowerUserAccess",
];

/** GitHub's OIDC issuer, as IAM names it in trust-policy condition keys. */
export const GITHUB_OIDC = "token.actions.githubusercontent.com";

/**
 * The GitHub environment a reviewed preview runs in: its own, not the deploy's, so the preview
 * role's subject never equals the deploy role's (`repo:<owner>/<repo>:environment:<env>`).
 */
export const previewEnvironment = (env: string) => `${env}-preview`;

/**
 * The object keys of one stack of `project` in a DIY backend with the project-scoped layout
 * (`.pulumi/meta.yaml` version 1, what `pulumi state upgrade` makes): its checkpoint (and the
 * `.bak`/`.gz` next to it), its history, its backups and its locks.
 */
export function stackObjectKeys(project: string, stack: string): string[] {
  return [
    `.pulumi/stacks/${project}/${stack}.json*`,
    `.pulumi/history/${project}/${stack}/*`,
    `.pulumi/backups/${project}/${stack}/*`,
    `.pulumi/locks/organization/${project}/${stack}/*`,
  ];
}

/** The lock keys of one stack, which even a preview may write (the CLI may lock a preview). */
export const stackLockKey = (project: string, stack: string) =>
  `.pulumi/locks/organization/${project}/${stack}/*`;

const ENV_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/** `state:` config, validated before anything is created. */
export function stateSettings(config: pulumi.Config) {
  const primaryRegion = config.require("primaryRegion");
  const recoveryRegion = config.require("recoveryRegion");
  for (const [key, value] of [
    ["primaryRegion", primaryRegion],
    ["recoveryRegion", recoveryRegion],
  ])
    if (!isRegion(value))
      throw new pulumi.RunError(
        `state:${key} = ${JSON.stringify(value)}: must be an AWS region such as us-east-1`,
      );
  if (primaryRegion === recoveryRegion)
    throw new pulumi.RunError(
      `state:recoveryRegion = ${JSON.stringify(recoveryRegion)}: must differ from state:primaryRegion`,
    );

  const repository = config.require("repository");
  if (!REPOSITORY.test(repository))
    throw new pulumi.RunError(
      `state:repository = ${JSON.stringify(repository)}: must be the GitHub repository as <owner>/<repo>, such as example-org/aws-dr`,
    );
  const environments = config.getObject<unknown>("environments") ?? [
    "dev",
    "staging",
    "prod",
  ];
  if (
    !Array.isArray(environments) ||
    environments.length === 0 ||
    !environments.every((e) => typeof e === "string" && ENV_NAME.test(e)) ||
    new Set(environments).size !== environments.length
  )
    throw new pulumi.RunError(
      `state:environments = ${JSON.stringify(environments)}: must be a non-empty list of distinct stack names (lower case, such as [dev, staging, prod])`,
    );
  const reviewedPreviews = config.getObject<unknown>("reviewedPreviews") ?? [
    "prod",
  ];
  if (
    !Array.isArray(reviewedPreviews) ||
    !reviewedPreviews.every(
      (e) => typeof e === "string" && environments.includes(e),
    )
  )
    throw new pulumi.RunError(
      `state:reviewedPreviews = ${JSON.stringify(reviewedPreviews)}: must list environments of state:environments (${(environments as string[]).join(", ")}) whose previews run only in the GitHub environment <env>-preview, with required reviewers`,
    );
  const oidcProviderArn = config.get("oidcProviderArn");
  if (
    oidcProviderArn !== undefined &&
    !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(
      oidcProviderArn,
    )
  )
    throw new pulumi.RunError(
      `state:oidcProviderArn = ${JSON.stringify(oidcProviderArn)}: must be the ARN of the account's GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com), or unset to create it`,
    );
  return {
    primaryRegion,
    recoveryRegion,
    protect: config.getBoolean("protect") ?? true,
    repository,
    environments: environments as string[],
    reviewedPreviews: reviewedPreviews as string[],
    oidcProviderArn,
  };
}

export type StateSettings = ReturnType<typeof stateSettings>;

/**
 * The OIDC subjects an environment's roles trust. Deploy: only a job in the GitHub environment of
 * the stack's name (required reviewers and deployment branches are set there). Preview: a job in
 * the environment `<env>-preview` where the environment's previews are reviewed (prod), else any
 * of the repository's pull requests.
 */
export function trustedSubjects(settings: StateSettings, env: string) {
  const repo = `repo:${settings.repository}`;
  return {
    deploy: [`${repo}:environment:${env}`],
    preview: settings.reviewedPreviews.includes(env)
      ? [`${repo}:environment:${previewEnvironment(env)}`]
      : [`${repo}:pull_request`],
  };
}
