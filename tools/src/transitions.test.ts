// Every move between the states (tier x failover) of every shipped environment, as one `pulumi up`
// would make it (matrix.ts, which says what the matrix cannot see).
import program = require("@aws-dr/stacks");
import { evaluate } from "./testing/cached-evaluate";
import type { Plan } from "./evaluate";
import {
  label,
  matrixProblems,
  planStates,
  primarySite,
  type MatrixProblems,
} from "./matrix";

const ENVIRONMENTS = ["dev", "staging", "prod"];

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
});
