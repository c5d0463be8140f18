// The transition matrix: every state (tier x failover) a stack's config admits, evaluated in one
// process, and every ordered pair of them checked as one `pulumi up` would make the move: whether
// the deployed-state check allows it (and why not), and what it would do to the data. And each
// tier's runbook, run by run, through the same check. Used by `plan --matrix` and by
// transitions.test.ts.
// What it cannot see: AWS-side refusals (deletion protection is only an input here), changes RDS
// defers or applies after a promotion, and Route 53 refusing a record swap mid-change.
import * as pulumi from "@pulumi/pulumi";
import {
  checkMove,
  DR_STATE_OUTPUT,
  readDeployed,
  recoveryOf,
  TIERS,
  type ConfigError,
  type DrState,
  type PublishedState,
  type MoveVerdict,
} from "@aws-dr/model";
import { STACK_SCHEMA } from "@aws-dr/stacks/settings";
import { ProgramError, type Program } from "@aws-dr/offline-plan";
import { DATA_TYPES, diffPlans } from "./diff";
import { evaluate, type Plan } from "./evaluate";

export const STATES = TIERS.flatMap((tier) =>
  [false, true].map((failover) => ({ tier, failover })),
);

export const label = (p: Pick<Plan, "tier" | "failover">) =>
  `${String(p.tier)}${p.failover ? "+failover" : ""}`;

/** Every state the stack's config admits, evaluated; the others with the reason they are refused. */
export async function planStates(
  program: Program,
  stack: string,
  overrides: string[] = [],
  /** How a state is evaluated: the tests share evaluations across files. */
  evaluator: typeof evaluate = evaluate,
): Promise<{ plans: Plan[]; refused: string[] }> {
  const plans: Plan[] = [];
  const refused: string[] = [];
  for (const { tier, failover } of STATES) {
    try {
      plans.push(
        await evaluator(program, stack, [
          ...overrides,
          `dr:tier=${tier}`,
          `dr:failover=${failover}`,
        ]),
      );
    } catch (err) {
      // RunError, not ConfigError: the built program bundles its own copy of that class.
      if (!(
        err instanceof ProgramError && err.cause instanceof pulumi.RunError
      ))
        throw err;
      const cause = err.cause as Partial<ConfigError>;
      refused.push(
        `${label({ tier, failover })}: ${cause.problems?.join("; ") ?? err.cause.message}`,
      );
    }
  }
  return { plans, refused };
}

/** The primary site's URNs: everything under Site "primary" (network, ALB, fleet, database, data bucket). */
export const primarySite = (p: Plan) =>
  p.resources
    .filter(
      (r) =>
        /aws-dr:stacks:Site.*::primary/.test(r.urn) ||
        r.urn.endsWith("Site::primary"),
    )
    .map((r) => r.urn)
    .sort();

/** The primary region's data resources as they are configured. */
const primaryData = (p: Plan) =>
  JSON.stringify(
    p.resources
      .filter(
        (r) => DATA_TYPES.has(r.type) && r.region === p.outputs.primaryRegion,
      )
      .map((r) => [r.urn, r.inputs, r.protect]),
  );

export interface MatrixProblems {
  /** States whose primary site has other URNs than the first state's. */
  primarySiteUrns: string[];
  /** Moves that remove or replace data they must not. */
  dataAtRisk: string[];
  /** Failovers that add, remove or change something in the primary region. */
  failoverTouchesPrimary: string[];
  /** States whose primary-region data resources differ from the first state's. */
  primaryDataChanged: string[];
  /** Runs a tier's runbook takes that the deployed-state check refuses. */
  runbookRefused: string[];
}

/** The deployed-state check of one move between two planned states, as the program makes it. */
export function moveVerdict(from: Plan, to: Plan): MoveVerdict {
  return checkMove(
    readDeployed(from.outputs),
    to.outputs[DR_STATE_OUTPUT] as DrState,
    STACK_SCHEMA.profiles,
  );
}

/**
 * Each tier's runbook (its profile's recoverySteps for the stack's engine) from the stack's normal state at that tier,
 * run by run through the deployed-state check: a refused run is a runbook users cannot follow.
 */
function runbookRefusals(plans: Plan[]): string[] {
  const refusals: string[] = [];
  for (const plan of plans) {
    if (plan.failover) continue;
    const { sequence, ...published } = plan.outputs[
      DR_STATE_OUTPUT
    ] as PublishedState;
    let state: DrState = published;
    for (const step of recoveryOf(
      STACK_SCHEMA.profiles[state.tier],
      state.engine,
    ).recoverySteps) {
      const next: DrState = {
        ...state,
        ...step.set,
        generation: state.generation + (step.set.generation ?? 0),
      };
      const verdict = checkMove(
        { kind: "known", state, sequence },
        next,
        STACK_SCHEMA.profiles,
      );
      if (!verdict.allowed)
        refusals.push(`${state.tier} #${step.section}: ${verdict.problem}`);
      state = next;
    }
  }
  return refusals;
}

/**
 * What breaks the rules in the matrix: the primary site keeps its URNs in every state; no primary
 * data is removed, replaced or unguarded by any move; a standalone recovery database leaves only
 * after a final snapshot or retained (a replica needs neither, RDS refuses its final snapshot);
 * failing over touches nothing in the primary region; primary data inputs never change.
 */
export function matrixProblems(plans: Plan[]): MatrixProblems {
  const [first] = plans;
  const problems: MatrixProblems = {
    primarySiteUrns: [],
    dataAtRisk: [],
    failoverTouchesPrimary: [],
    primaryDataChanged: [],
    runbookRefused: runbookRefusals(plans),
  };
  if (!first) return problems;
  for (const plan of plans) {
    if (
      JSON.stringify(primarySite(plan)) !== JSON.stringify(primarySite(first))
    )
      problems.primarySiteUrns.push(label(plan));
    if (primaryData(plan) !== primaryData(first))
      problems.primaryDataChanged.push(label(plan));
  }
  for (const from of plans)
    for (const to of plans) {
      if (from === to) continue;
      const diff = diffPlans(from, to);
      for (const risk of diff.dataAtRisk) {
        const resource = from.resources.find((r) => r.urn === risk.urn);
        const primaryRegion = resource?.region === from.outputs.primaryRegion;
        const acceptable =
          !primaryRegion &&
          (/^DELETED after a final snapshot|^removed from the stack \(retained/.test(
            risk.reason,
          ) ||
            // A standby replica: its data lives in the primary; RDS refuses its final snapshot.
            (risk.reason === "DELETED" &&
              resource?.inputs.replicateSourceDb !== undefined) ||
            // The replica's own key goes with it, and the keys of logs and alerts hold no data.
            (risk.reason === "DELETED" &&
              /(recovery-db-key|-alerts-key)$/.test(risk.urn) &&
              !from.failover) ||
            // Guards lift when a serving recovery site stops serving (failback), never on the primary.
            (/^loses/.test(risk.reason) && from.failover && !to.failover));
        if (!acceptable)
          problems.dataAtRisk.push(
            `${label(from)} -> ${label(to)}: ${risk.urn.split("::").pop()} ${risk.reason}`,
          );
      }
      if (!from.failover && to.failover && to.tier === from.tier) {
        const inPrimary = (p: Plan, urn: string) =>
          p.resources.find((r) => r.urn === urn)?.region ===
          p.outputs.primaryRegion;
        for (const urn of [
          ...diff.added.map((r) => r.urn).filter((u) => inPrimary(to, u)),
          ...diff.removed.map((r) => r.urn).filter((u) => inPrimary(from, u)),
          ...diff.changed.map((c) => c.urn).filter((u) => inPrimary(from, u)),
        ])
          problems.failoverTouchesPrimary.push(
            `${label(from)} -> ${label(to)}: ${urn.split("::").pop()}`,
          );
      }
    }
  return problems;
}

/** The matrix as text: states, refused states, and every problem (or that there are none). */
export function renderMatrix(
  stack: string,
  plans: Plan[],
  refused: string[],
  problems: MatrixProblems,
): string {
  const moves = plans.flatMap((from) =>
    plans
      .filter((to) => to !== from)
      .map((to) => ({ from, to, verdict: moveVerdict(from, to) })),
  );
  const allowed = moves.filter((m) => m.verdict.allowed);
  // One short line per reason: the states the config refuses for it, then the moves refused,
  // each by the key it names and the runbook section (the full message is the plan's own).
  const byReason = new Map<string, string[]>();
  for (const r of refused) {
    const [state, ...reason] = r.split(": ");
    const short = reason.slice(0, 2).join(": ");
    byReason.set(short, [...(byReason.get(short) ?? []), state]);
  }
  const shortMove = (problem: string) => {
    const section = /\((docs\/runbooks\/[^)]+)\)/.exec(problem)?.[1];
    return `${problem.split(": ")[0]}${section ? ` (${section})` : ""}`;
  };
  const lines = [
    `stack ${stack}: ${plans.length} states, ${moves.length} moves planned and checked for data, ${allowed.length} of them allowed from the deployed state`,
    `  states: ${plans.map(label).join(", ")}`,
    ...[...byReason].map(
      ([reason, states]) =>
        `  refused by config: ${states.join(", ")}: ${reason}`,
    ),
    ...allowed.map((m) => `  allowed: ${label(m.from)} -> ${label(m.to)}`),
    ...moves.flatMap((m) =>
      m.verdict.allowed
        ? []
        : [
            `  refused: ${label(m.from)} -> ${label(m.to)}: ${shortMove(m.verdict.problem)}`,
          ],
    ),
  ];
  const sections: [keyof MatrixProblems, string][] = [
    ["primarySiteUrns", "primary site URNs differ in"],
    ["dataAtRisk", "data at risk"],
    ["failoverTouchesPrimary", "failover touches the primary region"],
    ["primaryDataChanged", "primary data inputs differ in"],
    ["runbookRefused", "runbook run refused by the deployed-state check"],
  ];
  for (const [key, title] of sections)
    for (const problem of problems[key]) lines.push(`  ${title}: ${problem}`);
  if (sections.every(([key]) => problems[key].length === 0))
    lines.push(
      "  no move replaces or loses data, failing over leaves the primary region alone, and every runbook run is allowed",
    );
  return lines.join("\n");
}
