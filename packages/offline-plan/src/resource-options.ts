import type { Registration, SentAlias } from "./sdk-internals";

/** Custom timeouts as the program set them (Pulumi duration strings such as "30m"); unset ones absent. */
export interface RecordedCustomTimeouts {
  create?: string;
  update?: string;
  delete?: string;
}

/** An alias exactly as the SDK sends it to the engine: an old URN, or the parts of the old URN that differ. */
export type RecordedAlias = SentAlias;

/**
 * The resource options a real `pulumi up` acts on, each with a neutral value when the program does
 * not set it (false, [], null), so a consumer never has to tell "unset" from "absent".
 */
export interface ResourceOptions {
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  /**
   * For each input, the URNs of the resources its value came from: how policies tie a bucket's
   * versioning or policy to the bucket when ids are unknown (as in a real preview).
   */
  propertyDependencies: Record<string, string[]>;
  /**
   * URNs the resource waits for that no input explains: its explicit dependsOn (a component in it
   * stands for the custom resources under it, as the SDK sends it). A dependsOn on a resource an
   * input also comes from is not told apart on the wire, and orders nothing more.
   */
  dependsOn: string[];
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
  customTimeouts: RecordedCustomTimeouts | null;
  aliases: RecordedAlias[];
}

/**
 * The request's dependencies (explicit dependsOn and every input's sources) less those an input
 * explains.
 */
function explicitDependsOn(registration: Registration): string[] {
  const implicit = new Set(
    Object.values(registration.propertyDependencies).flat(),
  );
  return registration.dependencies.filter((urn) => !implicit.has(urn));
}

/** The SDK sends all three timeouts, "" where unset: keep the set ones, null for none. */
function customTimeouts(
  registration: Registration,
): RecordedCustomTimeouts | null {
  const set = Object.entries(registration.customTimeouts ?? {}).filter(
    ([, duration]) => duration !== "",
  );
  return set.length > 0 ? Object.fromEntries(set) : null;
}

/** The resource options of one registration, as the plan contract records them. */
export function resourceOptions(registration: Registration): ResourceOptions {
  return {
    protect: registration.protect ?? false,
    retainOnDelete: registration.retainOnDelete ?? false,
    ignoreChanges: registration.ignoreChanges,
    propertyDependencies: registration.propertyDependencies,
    dependsOn: explicitDependsOn(registration),
    deleteBeforeReplace: registration.deleteBeforeReplace,
    replaceOnChanges: registration.replaceOnChanges,
    customTimeouts: customTimeouts(registration),
    aliases: registration.aliases,
  };
}
