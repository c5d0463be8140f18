// The contracts the program and the policy pack both rely on, stated once. The pack is bundled with
// this file, so a change here changes both sides together. No dependencies, on purpose.

/** The Pulumi project every stack belongs to. */
export const PROJECT = "aws-dr";

/**
 * The keys of the tags every resource carries through its provider's defaultTags. None of them
 * changes with dr:tier or dr:failover: a changed default tag is an update of every resource in both
 * regions, which fails in a region that is down (the tier is a stack output instead).
 */
export const TAG_KEYS = {
  environment: "environment",
  project: "project",
  managedBy: "managed-by",
} as const;

/**
 * Tag on the data and load balancers that deliberately go without (some) production guards: a
 * standby (a read replica, a recovery site that does not serve), a database retiring after a
 * failback, or a replica just promoted by a failover's promote step, serving at the replica's size
 * without Multi-AZ and backups until the resize step. Guardrails (the policy pack) exempt exactly these.
 */
export const ROLE_TAG = "aws-dr:role";
export type GuardlessRole = "standby" | "retiring" | "promoting";

/** HTTP, and HTTPS when the site has a certificate: the only ports the internet may reach. */
export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;
export const PUBLIC_PORTS: readonly number[] = [HTTP_PORT, HTTPS_PORT];

/** The database's port (PostgreSQL), the one port the app's security group may reach it on. */
export const POSTGRES_PORT = 5432;

/** AWS Backup keeps continuous backups (point-in-time recovery) at most 35 days. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/** The `dr:` key that turns the production guards on. */
export const PRODUCTION_KEY = "dr:protectData";

/**
 * Whether a stack is production: its `dr:protectData` is on. The program guards data by it; the
 * policy pack demands those guards by it. `config` is the stack's config as Pulumi holds it
 * (full keys, values as strings or decoded).
 */
export function isProduction(config: Record<string, unknown>): boolean {
  const value = config[PRODUCTION_KEY];
  return value === true || value === "true";
}

/**
 * The output an offline plan given no deployed state (`plan` without --from, the tests) answers a
 * StackReference to the stack itself with: no real stack has it, so the program checks no move
 * (and `plan` says so on stderr).
 */
export const NO_DEPLOYED_STATE_GIVEN = "aws-dr:no-deployed-state-given";

/**
 * The tier templates' AMI id (tools/templates): an AMI id is hex only, so it cannot say REPLACEME.
 */
export const PLACEHOLDER_AMI_ID = "ami-00000000000000000";

/**
 * A value a tier template leaves for the user to replace: a string containing REPLACEME (any case:
 * a DNS name is lowercase), or the templates' AMI id. The program warns of one in the config, the
 * policy pack's no-placeholders policy finds one in the resources.
 */
export const isPlaceholder = (value: unknown): boolean =>
  typeof value === "string" &&
  (/replaceme/i.test(value) || value === PLACEHOLDER_AMI_ID);
