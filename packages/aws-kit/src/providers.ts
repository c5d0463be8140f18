import { Provider } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
import { defaultTags } from "./naming";

/** One explicit provider per region; no resource of this program uses the ambient default. */
export interface RegionalProviders {
  primary: Provider;
  recovery: Provider;
}

/**
 * The primary- and recovery-region providers. Their logical names are fixed ("primary",
 * "recovery") so that the URNs of everything created with them never depend on tier or failover.
 *
 * Both send their STS calls (credential check, account id) to the recovery region: every provider
 * in the stack is configured on each `pulumi up`, and a failover must succeed while the primary
 * region, STS included, is down.
 */
export function createProviders(
  cfg: { primaryRegion: string; recoveryRegion: string },
  environment: string,
): RegionalProviders {
  return {
    primary: regionalProvider("primary", cfg.primaryRegion, cfg, environment),
    recovery: regionalProvider(
      "recovery",
      cfg.recoveryRegion,
      cfg,
      environment,
    ),
  };
}

/** A provider for one more region, configured as the stack's own two are. */
export function regionalProvider(
  name: string,
  region: string,
  cfg: { recoveryRegion: string },
  environment: string,
): Provider {
  return new Provider(name, {
    region: region as Region,
    stsRegion: cfg.recoveryRegion,
    defaultTags: { tags: defaultTags(environment) },
  });
}
