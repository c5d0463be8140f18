// The runbooks' DR runs are the tier profiles' recoverySteps (the data the deployed-state check and
// the transition matrix walk): each `pulumi config set` line of a runbook's failover and failback
// sections is one run, and run by run they reach the same states as the profile's steps.
import * as fs from "node:fs";
import * as path from "node:path";
import { TIERS, type RunbookStep } from "@aws-dr/model";
import { STACK_SCHEMA } from "@aws-dr/stacks/settings";
import { REPO_ROOT } from "./stack-config";

type Step = RunbookStep["set"] & { section: string };

/** The DR keys one shell line sets, or undefined where it sets none. */
function stepOf(line: string, section: string): Step | undefined {
  const step: Step = { section };
  for (const [, key, value] of line.matchAll(
    /pulumi config set (?:--path '?)?(dr:failover|dr:failoverStep|dr:failback|dr:database\.generation)'? (\S+)/g,
  )) {
    if (key === "dr:failover") step.failover = value === "true";
    if (key === "dr:failoverStep")
      step.failoverStep = value as Step["failoverStep"];
    if (key === "dr:failback") step.failback = value as Step["failback"];
    // The runbook computes the next generation ($NEXT) from the current one.
    if (key === "dr:database.generation" && value === '"$NEXT"')
      step.generation = 1;
  }
  // Unset, the failover step is its default.
  if (/pulumi config rm dr:failoverStep\b/.test(line))
    step.failoverStep = "promote";
  return Object.keys(step).length > 1 ? step : undefined;
}

/** The DR runs of a runbook's failover and failback sections (their anchors), in order. */
function runbookSteps(tier: string): Step[] {
  const text = fs.readFileSync(
    path.join(REPO_ROOT, "docs", "runbooks", `${tier}.md`),
    "utf8",
  );
  let section: string | undefined;
  const steps: Step[] = [];
  for (const line of text.split("\n")) {
    const anchor = /^\s*<a id="([a-z-]+)"><\/a>/.exec(line)?.[1];
    if (anchor)
      section = /^(failover|failover-resize|failback)(-|$)/.test(anchor)
        ? anchor.startsWith("failback")
          ? "failback"
          : anchor
        : undefined;
    const step = section && stepOf(line, section);
    if (step) steps.push(step);
  }
  return steps;
}

/** The states a sequence of runs reaches from normal operation at generation 1. */
function walk(steps: Step[]) {
  let state = {
    failover: false,
    failoverStep: "promote",
    failback: "none",
    generation: 1,
  };
  return steps.map(({ section, generation, ...set }) => {
    state = {
      ...state,
      ...set,
      generation: state.generation + (generation ?? 0),
    };
    return { section, ...state };
  });
}

describe.each(TIERS)("the %s runbook", (tier) => {
  it("takes the profile's recovery runs, in order, each in its section", () => {
    const documented = runbookSteps(tier);
    expect(documented.length).toBeGreaterThanOrEqual(3);
    expect(walk(documented)).toEqual(
      walk(
        STACK_SCHEMA.profiles[tier].recoverySteps.map((s) => ({
          section: s.section,
          ...s.set,
        })),
      ),
    );
  });
});
