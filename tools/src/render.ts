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
