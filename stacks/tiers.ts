import type { Tier } from "@aws-dr/core";
import { deployActiveActive } from "./active-active";
import { deployBackupRestore } from "./backup-restore";
import { deployPilotLight } from "./pilot-light";
import { deployWarmStandby } from "./warm-standby";
import type { DeployContext, TierOutputs } from "./context";

export type TierDeployment = (ctx: DeployContext) => TierOutputs;

/** The wiring of each tier. */
export const TIER_DEPLOYMENTS: Record<Tier, TierDeployment> = {
  "backup-restore": deployBackupRestore,
  "pilot-light": deployPilotLight,
  "warm-standby": deployWarmStandby,
  "active-active": deployActiveActive,
};
