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
