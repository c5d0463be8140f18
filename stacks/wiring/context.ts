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
  /**
   * What makes the DR state real, added to by each part of the wiring: outputs known only once
   * AWS has made that part of the phase real. The published state waits for all of them, so a
   * failed update (whose outputs are still written if they had all resolved) keeps the state it
   * had.
   */
  realized: pulumi.Output<unknown>[];
  /** The Aurora global database the sites' clusters join (the primary site builds it). */
  globalDatabase?: {
    identifier: pulumi.Output<string>;
    endpoint: pulumi.Output<string>;
  };
}

/** What the wiring returns; becomes (part of) the stack outputs. */
export type TierOutputs = Record<string, pulumi.Input<unknown>>;

/** The stack as built: its outputs, and what makes its DR state real once each has resolved. */
export interface DeployedStack {
  outputs: TierOutputs;
  /** DeployContext.realized, complete. */
  realized: pulumi.Output<unknown>[];
}
