import {
  resolvePhase,
  type DrConfig,
  type Phase,
  type StackSchema,
  type TierSettings,
  type TierSettingsView,
} from "@aws-dr/model";
import { ACTIVE_ACTIVE_KEYS } from "./active-active/settings";
import { GAME_DAY_KEYS, REGION_SWITCH_KEYS } from "./operations/settings";
import { PILOT_LIGHT_KEYS } from "./pilot-light/settings";
import { TIER_PROFILES } from "./profiles";
import { WARM_STANDBY_KEYS } from "./warm-standby/settings";

/** The `dr:` keys beyond the shared ones: each tier's settings and each operation's. */
export const TIER_KEYS = {
  ...PILOT_LIGHT_KEYS,
  ...WARM_STANDBY_KEYS,
  ...ACTIVE_ACTIVE_KEYS,
  ...GAME_DAY_KEYS,
  ...REGION_SWITCH_KEYS,
};

/** The program's whole `dr:` schema: the tier profiles and the keys beyond the shared ones. */
export const STACK_SCHEMA: StackSchema<typeof TIER_KEYS> = {
  profiles: TIER_PROFILES,
  keys: TIER_KEYS,
};

/** The validated config the program runs with: shared keys and every tier's keys. */
export type StackConfig = DrConfig & TierSettings<typeof TIER_KEYS>;

/** What each site runs for a validated config: the phase resolver at the config's tier. */
export function phaseOf(cfg: StackConfig): Phase {
  const profile = TIER_PROFILES[cfg.tier];
  const settings = profile.settingsKey
    ? ((cfg as unknown as Record<string, TierSettingsView>)[
        profile.settingsKey
      ] ?? {})
    : {};
  return resolvePhase(cfg, profile, settings, {
    gameDay: cfg.gameDay.enabled,
    regionSwitch: cfg.regionSwitch.enabled,
  });
}
