// Every move between the states (tier x failover) of every shipped environment, as one `pulumi up`
// would make it (matrix.ts, which says what the matrix cannot see).
import program = require("@aws-dr/stacks");
import { evaluate } from "./testing/cached-evaluate";
import type { Plan } from "./evaluate";
import type { Tier } from "@aws-dr/model";
import { STACK_SCHEMA } from "@aws-dr/stacks/settings";
import { diffPlans } from "./diff";
import {
  label,
  matrixProblems,
  moveVerdict,
  planStates,
  primarySite,
  type MatrixProblems,
} from "./matrix";

const ENVIRONMENTS = ["dev", "staging", "prod"];
const onAurora = (p: Plan) =>
  (p.outputs.drState as { engine?: string } | undefined)?.engine ===
  "aurora-postgresql";

describe.each(ENVIRONMENTS)("every transition of %s", (stack) => {
  let plans: Plan[] = [];
  let problems: MatrixProblems;
  beforeAll(async () => {
    ({ plans } = await planStates(program, stack, [], evaluate));
    problems = matrixProblems(plans);
  });

  it("evaluates every admitted state, active-active and failovers included", () => {
    expect(plans.length).toBeGreaterThanOrEqual(6);
    expect(plans.map(label)).toEqual(
      expect.arrayContaining(["active-active", "active-active+failover"]),
    );
  });

  it("keeps the primary site's URNs in every state", () => {
    expect(primarySite(plans[0]).length).toBeGreaterThan(20);
    expect(problems.primarySiteUrns).toEqual([]);
  });

  it("never removes or replaces primary data, and removes a standalone recovery database only after a snapshot", () => {
    expect(problems.dataAtRisk).toEqual([]);
  });

  it("fails over at every tier without touching the primary region, which may be down", () => {
    expect(problems.failoverTouchesPrimary).toEqual([]);
  });

  it("changes no primary-region data resource's inputs when failing over or back", () => {
    expect(problems.primaryDataChanged).toEqual([]);
  });

  it("allows every run each tier's runbook takes", () => {
    expect(problems.runbookRefused).toEqual([]);
  });

  it("allows a failover at each tier and tier changes in normal operation, and while failed over only the profiles' moves (a restored site leaves by its release step; on Aurora none, and back in one run after AWS's switchover), each of which leaves the primary region alone", () => {
    const profileOf = (p: Plan) => STACK_SCHEMA.profiles[p.tier as Tier];
    for (const from of plans)
      for (const to of plans) {
        if (from === to) continue;
        const allowed = moveVerdict(from, to).allowed;
        const move = !from.failover
          ? to.failover
            ? to.tier === from.tier
              ? "failover"
              : "failover at another tier"
            : "tier change"
          : to.failover
            ? "failed-over tier change"
            : to.tier === from.tier
              ? "back without failback"
              : "back at another tier";
        // Aurora: a regional cluster never joins a global database (a migration), no tier moves
        // while failed over (the writer is AWS's), and back is one run after AWS's switchover.
        const aurora = onAurora(from);
        const global = (p: Plan) => profileOf(p).aurora.secondary !== "none";
        const expected =
          move === "failover" ||
          (move === "tier change" &&
            (!aurora || global(from) === global(to))) ||
          (move === "failed-over tier change" &&
            !aurora &&
            profileOf(from).failedOverTierMoves.includes(to.tier as Tier)) ||
          (move === "back without failback" &&
            aurora &&
            profileOf(from).aurora.failbackSteps.length === 0);
        expect([label(from), label(to), move, allowed]).toEqual([
          label(from),
          label(to),
          move,
          expected,
        ]);
        if (move !== "failed-over tier change" || !allowed) continue;
        const diff = diffPlans(from, to);
        const inPrimary = (p: Plan, urn: string) =>
          p.resources.find((r) => r.urn === urn)?.region ===
          p.outputs.primaryRegion;
        expect([
          label(from),
          label(to),
          [
            ...diff.added.filter((r) => inPrimary(to, r.urn)),
            ...diff.removed.filter((r) => inPrimary(from, r.urn)),
            ...diff.changed.filter((c) => inPrimary(from, c.urn)),
          ].map((r) => r.urn.split("::").pop()),
        ]).toEqual([label(from), label(to), []]);
      }
  });
});
