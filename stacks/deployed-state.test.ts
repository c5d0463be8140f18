// The deployed-state check: the transition function over every ordered pair of states the config
// admits, the runbooks' runs, first deployments, stacks without the state, the override, and the
// program refusing (or allowing) a move by its mocked last outputs.
import {
  checkMove,
  DR_STATE_OUTPUT,
  drStateOf,
  FAILBACK_STEPS,
  FAILOVER_STEPS,
  nextStates,
  parseConfig,
  readDeployed,
  TIERS,
  type DrState,
  type MoveVerdict,
  type RunbookStep,
} from "@aws-dr/model";
import * as pulumi from "@pulumi/pulumi";
import { ProgramError } from "@aws-dr/testing";
import { publishedState } from "./deployed-state";
import { TIER_PROFILES } from "./profiles";
import { STACK_SCHEMA } from "./settings";
import { MINIMAL_CONFIG, MINIMAL_KEYS, runnerOf } from "./test-stack";

/** Targets every tier meets: the states differ in DR keys only. */
const RAW = {
  ...MINIMAL_KEYS,
  targets: { rtoMinutes: 100000, rpoMinutes: 100000 },
};

/** Every state the config admits (tier x failover x step x failback x generation 1-3). */
const STATES: DrState[] = TIERS.flatMap((tier) =>
  [false, true].flatMap((failover) =>
    FAILOVER_STEPS.flatMap((failoverStep) =>
      FAILBACK_STEPS.flatMap((failback) =>
        [1, 2, 3].flatMap((generation) => {
          try {
            const cfg = parseConfig(
              {
                ...RAW,
                tier,
                failover,
                failoverStep,
                failback,
                database: { generation },
              },
              STACK_SCHEMA,
            );
            return [drStateOf(cfg)];
          } catch {
            return [];
          }
        }),
      ),
    ),
  ),
);

const known = (state: DrState) => ({ kind: "known", state }) as const;
const check = (from: DrState, to: DrState, override?: string): MoveVerdict =>
  checkMove(known(from), to, TIER_PROFILES, override);
const normal = (s: DrState) => !s.failover && s.failback === "none";
/** Where a failback step sits in its tier's sequence: none before, then the profile's steps. */
const position = (s: DrState) =>
  s.failback === "none"
    ? normal(s)
      ? 0
      : -1
    : 1 + TIER_PROFILES[s.tier].failbackSteps.indexOf(s.failback);

describe("the deployed-state check", () => {
  it("allows every move it allows only by the runbook's rules, and refuses the rest naming the key and the runbook", () => {
    let allowed = 0;
    let refused = 0;
    for (const from of STATES)
      for (const to of STATES) {
        const verdict = check(from, to);
        if (!verdict.allowed) {
          refused++;
          expect(verdict.problem).toMatch(
            /^dr:(tier|failover|failoverStep|failback|database\.generation) = .*: refused from the deployed state \(tier=.* generation=\d\); from there one run may set .* \(docs\/runbooks\/[a-z-]+\.md#(failover|failback)\)$/,
          );
          continue;
        }
        allowed++;
        if (JSON.stringify(from) === JSON.stringify(to)) continue;
        // The generation moves by one, after a standby failback's promote step, to normal.
        if (to.generation !== from.generation)
          expect([from.failback, to.generation, normal(to)]).toEqual([
            "promote",
            from.generation + 1,
            true,
          ]);
        // The tier changes in normal operation, or failed over only on the profile's allowlist.
        if (to.tier !== from.tier) {
          if (!normal(from) || !normal(to))
            expect(TIER_PROFILES[from.tier].failedOverTierMoves).toContain(
              to.tier,
            );
          continue;
        }
        // A live replica, once promoted, is never left without the failback (its writes).
        if (TIER_PROFILES[from.tier].liveReplicas && from.failover)
          expect(normal(to)).toBe(false);
        // Failback steps go forward one at a time.
        if (to.failback !== from.failback && to.failback !== "none")
          expect(position(to)).toBe(
            from.failback === "none" ? 1 : position(from) + 1,
          );
      }
    // Not vacuous: the states, and how many moves each side has.
    expect(STATES.length).toBe((5 + 8 * 3) * 3);
    // Staying put (87), and 153 moves: a rule change shows here first.
    expect([allowed, refused]).toEqual([87 + 153, 87 * 87 - 87 - 153]);
  });

  it.each(TIERS)(
    "allows each run of the %s runbook from the one before, from normal operation back to it",
    (tier) => {
      let state = STATES.find(
        (s) => s.tier === tier && normal(s) && s.generation === 1,
      ) as DrState;
      const apply = (s: DrState, step: RunbookStep): DrState => ({
        ...s,
        ...step.set,
        generation: s.generation + (step.set.generation ?? 0),
      });
      for (const step of TIER_PROFILES[tier].recoverySteps) {
        const next = apply(state, step);
        expect(STATES).toContainEqual(next);
        expect([step, check(state, next)]).toEqual([step, { allowed: true }]);
        state = next;
      }
      expect(normal(state)).toBe(true);
      // The failback values the runbook sets are the profile's failback steps, in order.
      expect(
        TIER_PROFILES[tier].recoverySteps
          .map((s) => s.set.failback)
          .filter((f) => f !== undefined && f !== "none"),
      ).toEqual(TIER_PROFILES[tier].failbackSteps);
    },
  );

  it("refuses the failback's last step without the next generation, naming dr:database.generation", () => {
    const promoted = STATES.find(
      (s) =>
        s.tier === "pilot-light" &&
        s.failback === "promote" &&
        s.generation === 1,
    ) as DrState;
    const verdict = check(promoted, {
      ...promoted,
      failback: "none",
    });
    expect(verdict).toEqual({
      allowed: false,
      problem: expect.stringMatching(
        /^dr:database\.generation = 1: refused from the deployed state \(tier=pilot-light failover=false failoverStep=promote failback=promote generation=1\); from there one run may set dr:failback=none dr:database\.generation=2 \(docs\/runbooks\/pilot-light\.md#failback\)$/,
      ),
    });
  });

  it("refuses a tier change while failed over unless the profile allows it, and each allowed one is a failed-over pair", () => {
    const failedOver = (tier: string) =>
      STATES.find(
        (s) =>
          s.tier === tier &&
          s.failover &&
          s.failback === "none" &&
          s.failoverStep === "promote" &&
          s.generation === 1,
      ) as DrState;
    expect(
      check(failedOver("pilot-light"), {
        ...failedOver("pilot-light"),
        tier: "active-active",
      }),
    ).toMatchObject({
      allowed: false,
      problem: expect.stringMatching(/^dr:tier = "active-active"/),
    });
    for (const tier of TIERS)
      for (const to of TIER_PROFILES[tier].failedOverTierMoves)
        expect(
          check(failedOver(tier), { ...failedOver(tier), tier: to }),
        ).toEqual({
          allowed: true,
        });
  });

  it("starts a first deployment in normal operation at generation 1", () => {
    const desired = (changes: Partial<DrState>) => ({
      ...(STATES[0] as DrState),
      ...changes,
    });
    const first = (s: DrState) => checkMove({ kind: "none" }, s, TIER_PROFILES);
    expect(first(desired({}))).toEqual({ allowed: true });
    expect(first(desired({ tier: "active-active" }))).toEqual({
      allowed: true,
    });
    expect(first(desired({ failover: true }))).toMatchObject({
      allowed: false,
      problem: expect.stringMatching(
        /^dr:failover = true: nothing is deployed yet/,
      ),
    });
    expect(first(desired({ generation: 2 }))).toMatchObject({
      allowed: false,
      problem: expect.stringMatching(
        /^dr:database\.generation = 2: nothing is deployed yet/,
      ),
    });
  });

  it("never changes a region, even overridden", () => {
    const from = STATES[0] as DrState;
    for (const override of [
      undefined,
      `tier=${from.tier} failover=false failoverStep=promote failback=none generation=1`,
    ])
      expect(
        check(from, { ...from, recoveryRegion: "eu-west-1" }, override),
      ).toMatchObject({
        allowed: false,
        problem: expect.stringMatching(
          /^dr:recoveryRegion = "eu-west-1": the deployed stack runs "us-west-2"/,
        ),
      });
  });

  it("lets the override past one move, from exactly the state it names, with a warning", () => {
    const promoted = STATES.find(
      (s) =>
        s.tier === "warm-standby" &&
        s.failback === "promote" &&
        s.generation === 1,
    ) as DrState;
    const skip = { ...promoted, failback: "none" as const };
    const move =
      "tier=warm-standby failover=false failoverStep=promote failback=promote generation=1 -> tier=warm-standby failover=false failoverStep=promote failback=none generation=1";
    expect(check(promoted, skip, move)).toEqual({
      allowed: true,
      warning: expect.stringContaining(
        "dr:overrideDeployedState overrides the deployed-state check",
      ),
    });
    // Left on after the move, or on a run that moves nowhere, it names another move: refused.
    for (const [from, to] of [
      [skip, skip],
      [promoted, promoted],
    ])
      expect(check(from, to, move)).toMatchObject({
        allowed: false,
        problem: expect.stringMatching(
          /^dr:overrideDeployedState = ".*": names another move than this run's \("tier=warm-standby .* -> tier=warm-standby .*"\)/,
        ),
      });
  });

  it("reads a stack without the state output by the outputs every version wrote, and allows only a run that keeps them", () => {
    const legacy = {
      tier: "pilot-light",
      failover: true,
      primaryRegion: "us-east-1",
      recoveryRegion: "us-west-2",
      appUrl: "https://app",
    };
    const deployed = readDeployed(legacy);
    expect(deployed).toMatchObject({
      kind: "partial",
      tier: "pilot-light",
      failover: true,
    });
    const failedOver = STATES.find(
      (s) =>
        s.tier === "pilot-light" &&
        s.failover &&
        s.failback === "none" &&
        s.failoverStep === "resize" &&
        s.generation === 1,
    ) as DrState;
    expect(checkMove(deployed, failedOver, TIER_PROFILES)).toEqual({
      allowed: true,
    });
    expect(
      checkMove(deployed, { ...failedOver, failback: "fence" }, TIER_PROFILES),
    ).toMatchObject({
      allowed: false,
      problem: expect.stringMatching(
        /^dr:failback: the deployed stack has no readable DR state \(no drState output/,
      ),
    });
    // A newer program's state reads the same way; nothing at all is a first deployment.
    expect(
      readDeployed({ ...legacy, [DR_STATE_OUTPUT]: { schema: 2 } }),
    ).toMatchObject({
      kind: "partial",
      why: expect.stringContaining("schema 2"),
    });
    expect(readDeployed({})).toEqual({ kind: "none" });
    expect(readDeployed({ appUrl: "x" })).toMatchObject({ kind: "unreadable" });
  });

  it("offers only moves the config admits", () => {
    const admitted = new Set(STATES.map((s) => JSON.stringify(s)));
    for (const from of STATES)
      for (const next of nextStates(from, TIER_PROFILES).filter(
        // The enumeration stops at generation 3.
        (n) => n.generation <= 3,
      ))
        expect([
          JSON.stringify(from),
          admitted.has(JSON.stringify(next)),
        ]).toEqual([JSON.stringify(from), true]);
  });
});

describe("the published state", () => {
  it("resolves only once everything that makes it real has: an update that fails on any of them never writes it, so the last one stays", async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => ({ id: a.name, state: a.inputs }),
        call: () => ({}),
      },
      "aws-dr",
      "test",
      false,
    );
    const state = STATES[0] as DrState;
    let created: (id: string) => void = () => undefined;
    const database = pulumi.output(
      new Promise<string>((resolve) => (created = resolve)),
    );
    let published: DrState | undefined;
    publishedState(state, [pulumi.output("fleet-arn"), database]).apply(
      (value) => (published = value),
    );
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    await tick();
    expect(published).toBeUndefined();
    created("db-id");
    await tick();
    expect(published).toEqual(state);
  });
});

describe("the program and its deployed state", () => {
  const run = runnerOf(MINIMAL_CONFIG);
  const staging = { "dr:tier": "pilot-light" };

  it("publishes the state it runs, and checks no move when given none (offline)", async () => {
    const { outputs } = await run(staging);
    expect(outputs[DR_STATE_OUTPUT]).toEqual({
      schema: 1,
      tier: "pilot-light",
      failover: false,
      failoverStep: "promote",
      failback: "none",
      generation: 1,
      engine: "postgres",
      primaryRegion: "us-east-1",
      recoveryRegion: "us-west-2",
    });
  });

  it("refuses a move from the deployed state before registering any resource, and allows the runbook's", async () => {
    const { outputs: deployed } = await run(staging);
    const step8 = {
      ...staging,
      "dr:failover": false,
      "dr:failback": "none",
    };
    // Deployed at the failback's promote step: its outputs say so.
    const promoted = {
      ...deployed,
      [DR_STATE_OUTPUT]: {
        ...(deployed[DR_STATE_OUTPUT] as DrState),
        failback: "promote",
      },
    };
    const refusal = await run(step8, promoted).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ProgramError);
    expect((refusal as ProgramError).message).toMatch(
      /dr:database\.generation = 1: refused from the deployed state/,
    );
    expect((refusal as ProgramError).recorder.resources).toEqual([]);
    const next = await run(
      { ...step8, "dr:database": { generation: 2 } },
      promoted,
    );
    expect(next.outputs[DR_STATE_OUTPUT]).toMatchObject({
      generation: 2,
      failback: "none",
    });
    // A first deployment (no outputs) may not start failed over.
    await expect(run({ ...staging, "dr:failover": true }, {})).rejects.toThrow(
      /dr:failover = true: nothing is deployed yet/,
    );
  });

  it("lets the override past with a loud warning", async () => {
    const { outputs: deployed } = await run(staging);
    const move =
      "tier=pilot-light failover=false failoverStep=promote failback=none generation=1 -> tier=pilot-light failover=false failoverStep=promote failback=none generation=2";
    const { warnings } = await run(
      {
        ...staging,
        "dr:database": { generation: 2 },
        "dr:overrideDeployedState": move,
      },
      deployed,
    );
    expect(warnings).toContainEqual(
      expect.stringContaining(
        "dr:overrideDeployedState overrides the deployed-state check for this one move",
      ),
    );
    await expect(
      run(
        { ...staging, "dr:overrideDeployedState": "tier=active-active" },
        deployed,
      ),
    ).rejects.toThrow(/names another move than this run's/);
  });
});
