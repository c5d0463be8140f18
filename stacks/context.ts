import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DrConfig, RegionalProviders } from "@aws-dr/core";
import type { StackConfig } from "./settings";

/** What every tier's wiring gets: validated config, the two providers, the stack's name. */
export interface DeployContext {
  cfg: StackConfig;
  providers: RegionalProviders;
  environment: string;
  /** The AWS account, asked of the recovery region's STS (both providers use it). */
  accountId: pulumi.Output<string>;
  databasePassword: pulumi.Output<string>;
}

/** What every tier returns; becomes (part of) the stack outputs. */
export type TierOutputs = Record<string, pulumi.Input<unknown>>;

/**
 * The database master password: the `dr:databasePassword` secret when set, else generated once and
 * kept (secret) in the stack's state. Never printed.
 */
export function databasePassword(cfg: DrConfig): pulumi.Output<string> {
  if (cfg.databasePassword) return pulumi.secret(cfg.databasePassword);
  // RDS rejects / @ " and spaces in master passwords.
  return new random.RandomPassword("database-password", {
    length: 32,
    special: true,
    overrideSpecial: "!#$%&*()-_=+[]{}<>:?",
  }).result;
}
