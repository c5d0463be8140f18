import type { Tier } from "./tiers";

export const PROJECT = "aws-dr";

/** Tags every resource carries through its provider's defaultTags. */
export function defaultTags(
  environment: string,
  tier: Tier,
): Record<string, string> {
  return {
    environment,
    "dr-tier": tier,
    project: PROJECT,
    "managed-by": "pulumi",
  };
}

/** Tag that AWS Backup selects resources by. */
export const BACKUP_TAG = { key: "aws-dr:backup", value: "true" } as const;

/**
 * Pulumi autonaming appends "-" and 7 hex characters; AWS caps some names (ALB and target group
 * names at 32). Throws when a logical name leaves no room for the suffix.
 */
export function assertAutonameFits(
  logicalName: string,
  awsLimit: number,
): void {
  if (logicalName.length + 8 > awsLimit) {
    throw new Error(
      `name "${logicalName}" is too long: AWS allows ${awsLimit} characters including Pulumi's 8-character suffix`,
    );
  }
}
