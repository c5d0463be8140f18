import type { TierProfiles } from "@aws-dr/model";
import { ACTIVE_ACTIVE } from "./active-active/profile";
import { BACKUP_RESTORE } from "./backup-restore/profile";
import { PILOT_LIGHT } from "./pilot-light/profile";
import { WARM_STANDBY } from "./warm-standby/profile";

/** Every tier's profile: the one table of what differs by tier. */
export const TIER_PROFILES: TierProfiles = {
  "backup-restore": BACKUP_RESTORE,
  "pilot-light": PILOT_LIGHT,
  "warm-standby": WARM_STANDBY,
  "active-active": ACTIVE_ACTIVE,
};
