// What the pack knows of the stack it checks, and where it learns it.
//
// Production is what the program means by it: the stack config's dr:protectData (contracts'
// isProduction), whatever the stack is named. The pack reads it from the stack config itself, the
// config the Pulumi engine decrypts for the update and hands both to the program (which guards data
// by it) and to every policy pack (PULUMI_CONFIG in the pack's environment; constructEnv in
// pulumi/pulumi's pkg/resource/plugin/analyzer_plugin.go), read here through the same API the
// program's pulumi.Config reads: pulumi.runtime.allConfig().
//
// Why not the alternatives:
// - a policy config per stack (--policy-pack-config) is a second statement of the fact, kept by
//   hand beside stacks/Pulumi.<stack>.yaml: a `pulumi config set dr:protectData`, a
//   `--config dr:protectData=false` or a new stack changes the program and not the file, and the
//   two disagree without a sound;
// - reading stacks/Pulumi.<stack>.yaml from the bundle's location misses every config that is not
//   in that file (values from an `environment:` import, a `--config-file` elsewhere), and finds no
//   file at all once the pack runs from anywhere but this checkout;
// - a tag: no resource carries the fact, and adding one changes every resource's inputs.
// The engine's config cannot disagree with the program: it is the program's config.
//
// Failing safe: a pack that receives no config at all (an engine that does not pass it) cannot
// tell, and demands the production guards rather than waive them. A stack that has config without
// dr:protectData is not production, as in the program (its default is off).
import { isProduction, PRODUCTION_KEY } from "@aws-dr/contracts";

export interface StackFacts {
  /** The production guards apply: dr:protectData is on, or the pack could not tell. */
  production: boolean;
  /** Why, for the violations' messages. */
  because: string;
}

/**
 * The facts of a stack from its config as Pulumi holds it (full keys such as "dr:protectData",
 * values as the engine passes them, strings, or decoded). An empty config is no config: production.
 */
export function stackFacts(config: Record<string, unknown>): StackFacts {
  if (Object.keys(config).length === 0)
    return {
      production: true,
      because: "no stack config reached the pack, so it assumes production",
    };
  return isProduction(config)
    ? { production: true, because: `${PRODUCTION_KEY} is on` }
    : { production: false, because: `${PRODUCTION_KEY} is off` };
}
