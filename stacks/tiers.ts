import type { Tier } from "@aws-dr/core";
import { deployBackupRestore } from "./backup-restore";
import { deployPilotLight } from "./pilot-light";
import { deployWarmStandby } from "./warm-standby";
import type { DeployContext, TierOutputs } from "./context";

export type TierDeployment = (ctx: DeployContext) => TierOutputs;

/** The wiring of each tier; a tier without one is not built yet and is refused before anything is created. */
export const TIER_DEPLOYMENTS: Partial<Record<Tier, TierDeployment>> = {
  "backup-restore": deployBackupRestore,
  "pilot-light": deployPilotLight,
  "warm-standby": deployWarmStandby,
};
