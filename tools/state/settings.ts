import * as pulumi from "@pulumi/pulumi";
import { isRegion } from "@aws-dr/model";

/** The alias of the secrets key, the same in both regions. */
export const SECRETS_KEY_ALIAS = "alias/aws-dr-pulumi-secrets";

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
  return {
    primaryRegion,
    recoveryRegion,
    protect: config.getBoolean("protect") ?? true,
  };
}
