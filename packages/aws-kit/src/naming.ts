import { createHash } from "node:crypto";
import { PROJECT, TAG_KEYS } from "@aws-dr/contracts";

/** Tags every resource carries through its provider's defaultTags. */
export function defaultTags(environment: string): Record<string, string> {
  return {
    [TAG_KEYS.environment]: environment,
    [TAG_KEYS.project]: PROJECT,
    [TAG_KEYS.managedBy]: "pulumi",
  };
}

/**
 * A name AWS sees (an explicit `name`, a snapshot identifier), unique per project and stack so that
 * two stacks can share an account: `aws-dr-<stack>-<name>`. `style` "underscore" is for the AWS
 * names that allow only letters, digits and underscores (restore testing). Over maxLength, the name
 * is cut and ends in a hash of the whole, so it stays unique.
 */
export function physicalName(
  stack: string,
  name: string,
  {
    style = "hyphen",
    maxLength = 63,
  }: { style?: "hyphen" | "underscore"; maxLength?: number } = {},
): string {
  const separator = style === "hyphen" ? "-" : "_";
  const trim = (text: string) => text.replace(/^[-_]+|[-_]+$/g, "");
  const full = trim(
    [PROJECT, stack, name]
      .join(separator)
      .replace(
        style === "hyphen" ? /[^A-Za-z0-9-]+/g : /[^A-Za-z0-9_]+/g,
        separator,
      )
      .replace(style === "hyphen" ? /-+/g : /_+/g, separator),
  );
  if (full.length <= maxLength) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${trim(full.slice(0, maxLength - hash.length - 1))}${separator}${hash}`;
}
