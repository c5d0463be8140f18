import type { Plan } from "./evaluate";
import type { PlanDiff } from "./diff";

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

export function renderDiff(diff: PlanDiff): string {
  const lines: string[] = [];
  if (diff.dataAtRisk.length > 0) {
    lines.push("!!! DATA AT RISK !!!");
    for (const d of diff.dataAtRisk) lines.push(`!!! ${d.urn}: ${d.reason}`);
  }
  for (const r of diff.added) lines.push(`+ ${r.urn}`);
  for (const r of diff.removed) lines.push(`- ${r.urn}`);
  for (const c of diff.changed)
    lines.push(`~ ${c.urn}: ${c.changedInputs.join(", ")}`);
  lines.push(
    `${diff.added.length} to add, ${diff.removed.length} to remove, ${diff.changed.length} to change, ${diff.dataAtRisk.length} data resources at risk`,
  );
  return lines.join("\n");
}

/** The diff as a pull-request comment: a summary line, data at risk in bold, a table of changes. */
export function renderMarkdown(
  diff: PlanDiff,
  stack: string,
  overrides: string[],
): string {
  const name = (urn: string) => urn.split("::").pop() ?? urn;
  const type = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";
  const lines = [
    `### \`${stack}\`: ${overrides.map((o) => `\`${o}\``).join(", ")}`,
    "",
    `${diff.added.length} to add, ${diff.removed.length} to remove, ${diff.changed.length} to change, ${diff.dataAtRisk.length} data resources at risk`,
  ];
  if (diff.dataAtRisk.length > 0) {
    lines.push("", "**Data at risk:**", "");
    for (const d of diff.dataAtRisk)
      lines.push(`- **${name(d.urn)}** (\`${type(d.urn)}\`): **${d.reason}**`);
  }
  const rows = [
    ...diff.added.map((r) => ["add", r.name, r.type, ""]),
    ...diff.removed.map((r) => ["remove", r.name, r.type, ""]),
    ...diff.changed.map((c) => [
      "change",
      name(c.urn),
      c.type,
      c.changedInputs.join(", "),
    ]),
  ];
  if (rows.length > 0) {
    lines.push(
      "",
      "| | resource | type | inputs |",
      "| --- | --- | --- | --- |",
    );
    for (const [op, resource, t, inputs] of rows)
      lines.push(`| ${op} | ${resource} | \`${t}\` | ${inputs} |`);
  }
  return lines.join("\n");
}
