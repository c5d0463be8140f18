import type { Plan } from "./evaluate";
import { changeCounts, type PlanDiff, type ResourceChange } from "./diff";

/** The plan as an indented resource tree, one line per resource. */
export function renderTree(plan: Plan): string {
  const children = new Map<string | undefined, Plan["resources"]>();
  for (const r of plan.resources) {
    const key =
      r.parent && plan.resources.some((p) => p.urn === r.parent)
        ? r.parent
        : undefined;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const lines = [
    `stack ${plan.stack}: tier ${String(plan.tier)}, failover ${String(plan.failover)}, ${plan.resources.length} resources`,
  ];
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const flags = [
        r.region,
        r.protect ? "protected" : "",
        r.retainOnDelete ? "retained on delete" : "",
      ]
        .filter(Boolean)
        .join(", ");
      lines.push(
        `${"  ".repeat(depth + 1)}${r.type}  ${r.name}${flags ? `  [${flags}]` : ""}`,
      );
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  lines.push("outputs:");
  for (const [k, v] of Object.entries(plan.outputs).filter(
    ([, v]) => v !== undefined,
  ))
    lines.push(`  ${k}: ${JSON.stringify(v)}`);
  return lines.join("\n");
}

/** A resource's logical name, the short form a reviewer reads (the URN's last part). */
const shortName = (urn: string) => urn.split("::").pop() ?? urn;
/** A resource's type from its URN (the last of its parent chain). */
const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

/** A value as one line, at most `max` characters (the full value is in --json). */
export function shortValue(value: unknown, max = 60): string {
  const text = value === undefined ? "(none)" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One changed input as `input: before -> after`. */
const valueChange = (v: ResourceChange["values"][number]) =>
  `${v.input}: ${shortValue(v.before)} -> ${shortValue(v.after)}`;

/** What a change does: in place, or a (possible) replacement and what forces it. */
function changeNote(c: ResourceChange): string {
  if (!c.replacement) return "";
  return ` (${c.replacement === "replace" ? "REPLACED" : "MAY BE REPLACED"}${c.deleteFirst ? ", deleted first" : ""}: ${c.replacing.join(", ")})`;
}

/** The summary line every form of the diff ends or starts with. */
export function diffSummary(diff: PlanDiff): string {
  const counts = changeCounts(diff);
  return `${diff.added.length} to add, ${diff.removed.length} to remove, ${counts.change} to change, ${counts.replace} to replace, ${counts.mayReplace} that may be replaced, ${diff.dataAtRisk.length} data resources at risk`;
}

export function renderDiff(diff: PlanDiff): string {
  const lines: string[] = [];
  if (diff.dataAtRisk.length > 0) {
    lines.push("!!! DATA AT RISK !!!");
    for (const d of diff.dataAtRisk)
      lines.push(`!!! ${shortName(d.urn)} (${typeOf(d.urn)}): ${d.reason}`);
  }
  for (const r of diff.added) lines.push(`+ ${r.name} (${r.type})`);
  for (const r of diff.removed) lines.push(`- ${r.name} (${r.type})`);
  for (const c of diff.changed) {
    const mark =
      c.replacement === "replace" ? "+-" : c.replacement ? "~?" : "~";
    lines.push(`${mark} ${shortName(c.urn)} (${c.type})${changeNote(c)}`);
    for (const v of c.values) lines.push(`    ${valueChange(v)}`);
    for (const k of c.changedInputs.filter((k) => k.startsWith("(")))
      lines.push(`    ${k}`);
  }
  lines.push(diffSummary(diff));
  return lines.join("\n");
}

/**
 * The diff as a pull-request comment: what it compares, a summary line, data at risk in bold, a
 * table of changes with each changed input's values.
 */
export function renderMarkdown(
  diff: PlanDiff,
  stack: string,
  overrides: string[],
  /** The state compared with: the stack file and its --config, or a plan file (--against). */
  base: string,
): string {
  // A value as inline code a table cell cannot break out of: HTML-escaped (a backtick or `<` in a
  // value is text), its pipes as entities (GitHub splits cells on them even inside code).
  const code = (text: string) =>
    `<code>${text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/\|/g, "&#124;")}</code>`;
  const lines = [
    `### \`${stack}\`: ${overrides.map((o) => `\`${o}\``).join(", ")}`,
    "",
    `Compared with ${base}.`,
    "",
    diffSummary(diff),
  ];
  if (diff.dataAtRisk.length > 0) {
    lines.push("", "**Data at risk:**", "");
    for (const d of diff.dataAtRisk)
      lines.push(
        `- **${shortName(d.urn)}** (\`${typeOf(d.urn)}\`): **${d.reason}**`,
      );
  }
  const rows = [
    ...diff.added.map((r) => ["add", r.name, r.type, ""]),
    ...diff.removed.map((r) => ["remove", r.name, r.type, ""]),
    ...diff.changed.map((c) => [
      c.replacement === "replace"
        ? "**replace**"
        : c.replacement
          ? "**may replace**"
          : "change",
      shortName(c.urn),
      c.type,
      [
        ...c.values.map((v) => code(valueChange(v))),
        ...c.changedInputs.filter((k) => k.startsWith("(")),
      ].join("<br>"),
    ]),
  ];
  if (rows.length > 0) {
    lines.push(
      "",
      "| | resource | type | inputs (before -> after) |",
      "| --- | --- | --- | --- |",
    );
    for (const [op, resource, t, inputs] of rows)
      lines.push(`| ${op} | ${resource} | \`${t}\` | ${inputs} |`);
  }
  return lines.join("\n");
}
