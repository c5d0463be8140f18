// Reading a stack's resources the way CrossGuard presents them (PolicyResource), in a real
// `pulumi preview` and in the offline plan alike: by type, and tied to each other by the resources
// an input's value came from (property dependencies), never by ids that a preview does not know.
import type { PolicyResource } from "@pulumi/policy";

/** Stacks whose data must carry production guards. */
export const PROD_STACKS = ["prod"];

/** The tag on data and load balancers that go without production guards by design. */
export const ROLE_TAG = "aws-dr:role";

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

/** The stack a URN belongs to: urn:pulumi:<stack>::<project>::... */
export const stackOf = (urn: string) => urn.split("::")[0].split(":")[2];

export const inProd = (r: PolicyResource) =>
  PROD_STACKS.includes(stackOf(r.urn));

/** A database or load balancer that serves: not a standby, not retiring after a failback. */
export const serving = (r: PolicyResource) =>
  !(r.props.tags as Record<string, string> | undefined)?.[ROLE_TAG];

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
