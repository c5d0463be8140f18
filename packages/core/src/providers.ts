import * as aws from "@pulumi/aws";
import type { DrConfig } from "./config";
import { defaultTags } from "./naming";

/** One explicit provider per region; no resource of this program uses the ambient default. */
export interface RegionalProviders {
  primary: aws.Provider;
  recovery: aws.Provider;
}

/**
 * The primary- and recovery-region providers. Their logical names are fixed ("primary",
 * "recovery") so that the URNs of everything created with them never depend on tier or failover.
 */
export function createProviders(
  cfg: DrConfig,
  environment: string,
): RegionalProviders {
  const tags = defaultTags(environment, cfg.tier);
  const provider = (name: string, region: string) =>
    new aws.Provider(name, {
      region: region as aws.Region,
      defaultTags: { tags },
    });
  return {
    primary: provider("primary", cfg.primaryRegion),
    recovery: provider("recovery", cfg.recoveryRegion),
  };
}
