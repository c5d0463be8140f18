import type { DrConfig, TierSettings } from "@aws-dr/core";
import { ACTIVE_ACTIVE_KEYS } from "./active-active/settings";
import { GAME_DAY_KEYS } from "./game-day";
import { REGION_SWITCH_KEYS } from "./region-switch";
import { PILOT_LIGHT_KEYS } from "./pilot-light/settings";
import { WARM_STANDBY_KEYS } from "./warm-standby/settings";

/** Every tier's own `dr:` keys, validated with the shared ones before anything is created. */
export const TIER_KEYS = {
  ...PILOT_LIGHT_KEYS,
  ...WARM_STANDBY_KEYS,
  ...ACTIVE_ACTIVE_KEYS,
  ...GAME_DAY_KEYS,
  ...REGION_SWITCH_KEYS,
};

/** The validated config the program runs with: shared keys and every tier's keys. */
export type StackConfig = DrConfig & TierSettings<typeof TIER_KEYS>;
