import type * as pulumi from "@pulumi/pulumi";
import type { RegionalProviders } from "@aws-dr/aws-kit";
import type { Phase } from "@aws-dr/model";
import type { StackConfig } from "../settings";

/** What the wiring gets: validated config, its phase, the two providers, the stack's name. */
export interface DeployContext {
  cfg: StackConfig;
  /** What each site runs in this state (the phase resolver's answer): the wiring only builds it. */
  phase: Phase;
  providers: RegionalProviders;
  environment: string;
  /** The AWS account, asked of the recovery region's STS (both providers use it). */
  accountId: pulumi.Output<string>;
  databasePassword: pulumi.Output<string>;
}

/** What the wiring returns; becomes (part of) the stack outputs. */
export type TierOutputs = Record<string, pulumi.Input<unknown>>;
