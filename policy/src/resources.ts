// Reading a stack's resources the way CrossGuard presents them (PolicyResource), in a real
// `pulumi preview` and in the offline plan alike: by type, and tied to each other by the resources
// an input's value came from (property dependencies), never by ids that a preview does not know.
import { UnknownValueError, type PolicyResource } from "@pulumi/policy";
import { ROLE_TAG, type GuardlessRole } from "@aws-dr/contracts";

export const ofType = (resources: PolicyResource[], type: string) =>
  resources.filter((r) => r.type === type);

/** The resources of a type whose input `key` came from `target` (e.g. a bucket's versioning). */
export function attachedTo(
  resources: PolicyResource[],
  type: string,
  key: string,
  target: PolicyResource,
): PolicyResource[] {
  return ofType(resources, type).filter((r) =>
    (r.propertyDependencies[key] ?? []).some((d) => d.urn === target.urn),
  );
}

/**
 * A database or load balancer that serves. Exempt, by its role tag, only what the tier design leaves
 * unguarded, and only when the resource is what the tag claims: a standby database replicates, a
 * retiring one leaves a final snapshot, a standby load balancer belongs to the recovery site.
 */
export function serving(r: PolicyResource): boolean {
  const role = (r.props.tags as Record<string, string> | undefined)?.[ROLE_TAG];
  if (role === ("standby" satisfies GuardlessRole))
    return r.type === "aws:rds/instance:Instance"
      ? !(r.propertyDependencies.replicateSourceDb ?? []).length &&
          !r.props.replicateSourceDb
      : !r.name.startsWith("recovery");
  if (role === ("retiring" satisfies GuardlessRole))
    return r.props.skipFinalSnapshot !== false;
  return true;
}

/** Tagged as serving from a failover's promote step: its shape comes with the resize step. */
export const promotingRole = (r: PolicyResource): boolean =>
  (r.props.tags as Record<string, string> | undefined)?.[ROLE_TAG] ===
  ("promoting" satisfies GuardlessRole);

/** A database serving from a failover's promote step: Multi-AZ and backups come with the resize step. */
export const promoting = (r: PolicyResource): boolean =>
  r.type === "aws:rds/instance:Instance" && promotingRole(r);

/** An IAM policy document, whether the input holds it as an object or a JSON string. */
export function policyDocument(
  value: unknown,
): { Statement?: Statement[] } | undefined {
  if (typeof value === "string") {
    try {
      return JSON.parse(value) as { Statement?: Statement[] };
    } catch {
      return undefined;
    }
  }
  return value && typeof value === "object"
    ? (value as { Statement?: Statement[] })
    : undefined;
}

export interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Runs a check of one resource, skipping it when it reads a value a preview cannot know yet (in a
 * real preview, CrossGuard throws UnknownValueError on such a read; the rest of the stack is still
 * checked, and the resource is checked again once its values are known).
 */
export function known(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof UnknownValueError)) throw err;
  }
}
