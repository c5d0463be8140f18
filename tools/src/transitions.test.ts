// Every move between the built states (tier x failover) of every shipped environment, as one
// `pulumi up` would make it: what the offline diff says happens to the primary site and to data.
// What this cannot see: AWS-side refusals (deletion protection is only an input here), changes RDS
// defers or applies after a promotion, and Route 53 refusing a record swap mid-change. A tier change
// between two failed-over states may add or remove primary-region machinery (active-active's
// peering and rules): the README says to change tiers only once the primary region answers.
import program = require("@aws-dr/stacks");
import { ConfigError, TIERS } from "@aws-dr/core";
import { ProgramError } from "@aws-dr/testing";
import { diffPlans, DATA_TYPES } from "./diff";
import { evaluate, type Plan } from "./evaluate";

const ENVIRONMENTS = ["dev", "staging", "prod"];
const STATES = TIERS.flatMap((tier) =>
  [false, true].map((failover) => ({ tier, failover })),
);

async function planIfAdmitted(stack: string, tier: string, failover: boolean) {
  try {
    return await evaluate(program, stack, [
      `dr:tier=${tier}`,
      `dr:failover=${failover}`,
    ]);
  } catch (err) {
    if (err instanceof ProgramError && err.cause instanceof ConfigError)
      return undefined;
    throw err;
  }
}

const label = (p: Plan) => `${String(p.tier)}${p.failover ? "+failover" : ""}`;
/** The primary site: everything under Site "primary" (network, ALB, fleet, database, data bucket). */
const primarySite = (p: Plan) =>
  p.resources.filter(
    (r) =>
      /aws-dr:stacks:Site.*::primary/.test(r.urn) ||
      r.urn.endsWith("Site::primary"),
  );

describe.each(ENVIRONMENTS)("every transition of %s", (stack) => {
  const plans: Plan[] = [];
  beforeAll(async () => {
    for (const { tier, failover } of STATES) {
      const plan = await planIfAdmitted(stack, tier, failover);
      if (plan) plans.push(plan);
    }
  });

  it("keeps the primary site's URNs in every state", () => {
    const reference = primarySite(plans[0])
      .map((r) => r.urn)
      .sort();
    expect(reference.length).toBeGreaterThan(20);
    for (const plan of plans)
      expect({
        state: label(plan),
        urns: primarySite(plan)
          .map((r) => r.urn)
          .sort(),
      }).toEqual({
        state: label(plan),
        urns: reference,
      });
  });

  it("never removes or replaces primary data, and removes a standalone recovery database only after a snapshot", () => {
    const problems: string[] = [];
    for (const from of plans)
      for (const to of plans) {
        if (from === to) continue;
        for (const risk of diffPlans(from, to).dataAtRisk) {
          const resource = from.resources.find((r) => r.urn === risk.urn);
          const primaryData = resource?.region === from.outputs.primaryRegion;
          const acceptable =
            !primaryData &&
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
            problems.push(
              `${label(from)} -> ${label(to)}: ${risk.urn.split("::").pop()} ${risk.reason}`,
            );
        }
      }
    expect(problems).toEqual([]);
  });

  it("fails over at every tier without touching the primary region, which may be down", () => {
    const inPrimary = (p: Plan, urn: string) =>
      p.resources.find((r) => r.urn === urn)?.region ===
      p.outputs.primaryRegion;
    for (const from of plans.filter((p) => !p.failover)) {
      const to = plans.find((p) => p.tier === from.tier && p.failover);
      if (!to) continue;
      const diff = diffPlans(from, to);
      expect({
        state: label(from),
        primaryRegionChanges: [
          ...diff.added.map((r) => r.urn).filter((u) => inPrimary(to, u)),
          ...diff.removed.map((r) => r.urn).filter((u) => inPrimary(from, u)),
          ...diff.changed.map((c) => c.urn).filter((u) => inPrimary(from, u)),
        ],
      }).toEqual({ state: label(from), primaryRegionChanges: [] });
    }
  });

  it("changes no primary-region data resource's inputs when failing over or back", () => {
    const primaryData = (p: Plan) =>
      p.resources
        .filter(
          (r) => DATA_TYPES.has(r.type) && r.region === p.outputs.primaryRegion,
        )
        .map((r) => [r.urn, r.inputs, r.protect]);
    for (const plan of plans)
      expect(primaryData(plan)).toEqual(primaryData(plans[0]));
  });
});
