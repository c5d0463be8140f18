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
import { NO_DEPLOYED_STATE_GIVEN } from "@aws-dr/contracts";
import { PlanRecorder, runProgram } from "@aws-dr/offline-plan";
import { ProgramError } from "@aws-dr/testing";
import program = require("./index");
import { stateMarkerName } from "./deployed-state";
import { TIER_PROFILES } from "./profiles";
import { STACK_SCHEMA } from "./settings";
import {
  MINIMAL_CONFIG,
  MINIMAL_KEYS,
  runnerOf,
  TIER_TEST_CONFIG,
} from "./test-stack";

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

const known = (state: DrState) =>
  ({ kind: "known", state, sequence: 1 }) as const;
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
            /^dr:(tier|failover|failoverStep|failback|database\.generation) = .*: refused from the deployed state \(tier=.* generation=\d\); one run makes one move, and from there it may set .* \(docs\/runbooks\/[a-z-]+\.md#(failover|failover-resize|failback|failback-fence|failback-reseed|failback-stop-writes|failback-promote|failback-generation)\)\. If you know the move is safe .*: dr:overrideDeployedState="tier=.* -> tier=.*" for this one run \(docs\/deployed-state\.md#override\)\.$/,
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
        // Failback steps go forward one at a time, and back one only from reseed and freeze
        // (before any promotion: a second bad day); the promotion is never undone.
        if (to.failback !== from.failback && to.failback !== "none")
          expect(position(to)).toBe(
            from.failback === "none"
              ? 1
              : position(from) +
                  (["reseed", "freeze"].includes(from.failback) &&
                  position(to) < position(from)
                    ? -1
                    : 1),
          );
        // Failed over from a restored site too: only the release leaves it.
        if (from.failover && !to.failover && from.tier === to.tier)
          expect(from.failback).toBe(
            TIER_PROFILES[from.tier].liveReplicas ? "freeze" : "release",
          );
      }
    // Not vacuous: the states, and how many moves each side has.
    expect(STATES.length).toBe((5 + 8 * 3) * 3);
    // Staying put (87), and 165 moves: a rule change shows here first.
    expect([allowed, refused]).toEqual([87 + 165, 87 * 87 - 87 - 165]);
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
        /^dr:database\.generation = 1: refused from the deployed state \(tier=pilot-light failover=false failoverStep=promote failback=promote generation=1\); one run makes one move, and from there it may set dr:failback=none dr:database\.generation=2 \(docs\/runbooks\/pilot-light\.md#failback-generation\)\. If you know the move is safe \(the state was changed by hand, the backend lags\): dr:overrideDeployedState="tier=pilot-light failover=false failoverStep=promote failback=promote generation=1 -> tier=pilot-light failover=false failoverStep=promote failback=none generation=1" for this one run/,
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

  it("never changes a region, even overridden by the exact move", () => {
    const from = STATES[0] as DrState;
    const state = `tier=${from.tier} failover=false failoverStep=promote failback=none generation=1`;
    for (const override of [undefined, `${state} -> ${state}`])
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

  it("reads a stack without the state output by the outputs every version wrote: in normal operation at the generation its databases agree on, only a run that keeps it; failed over, or between a promote step and the next generation, only the override", () => {
    const legacy = {
      tier: "pilot-light",
      failover: false,
      primaryRegion: "us-east-1",
      recoveryRegion: "us-west-2",
      databaseAddress: "primary-db-2-a1b2c3d.cxyz.us-east-1.rds.amazonaws.com",
      recoveryDatabaseUrn:
        "urn:pulumi:prod::aws-dr::aws-dr:stacks:Site$aws-dr:storage:Database$aws:rds/instance:Instance::recovery-db-2",
      appUrl: "https://app",
    };
    const deployed = readDeployed(legacy);
    expect(deployed).toMatchObject({
      kind: "partial",
      tier: "pilot-light",
      failover: false,
      generation: 2,
    });
    const at = (changes: Partial<DrState>) =>
      STATES.find(
        (s) =>
          s.tier === "pilot-light" &&
          Object.entries({
            failover: false,
            failback: "none",
            generation: 2,
            ...changes,
          }).every(([k, v]) => s[k as keyof DrState] === v),
      ) as DrState;
    const partial = (d: Record<string, unknown>, to: DrState) =>
      checkMove(readDeployed(d), to, TIER_PROFILES);
    expect(partial(legacy, at({}))).toEqual({ allowed: true });
    // A generation step back (to the stale database) is refused.
    expect(partial(legacy, at({ generation: 1 }))).toMatchObject({
      allowed: false,
      problem: expect.stringMatching(
        /^dr:database\.generation = 1: the deployed stack has no readable DR state \(no drState output.*only run allowed without the override is one that keeps .* dr:database\.generation=2 .*dr:overrideDeployedState="tier=pilot-light failover=false generation=2 \(failback unknown\) -> tier=pilot-light failover=false failoverStep=promote failback=none generation=1"/,
      ),
    });
    expect(
      partial(legacy, at({ failover: true, failoverStep: "promote" })),
    ).toMatchObject({ allowed: false });
    // The issue's step 8, from a stack upgraded at the failback's promote step: the successor
    // (primary-db-2) serves while the replica is still recovery-db. The names disagree, so the
    // generation is unknown: neither generation 1 nor 2 without the override.
    const atPromote = {
      ...legacy,
      recoveryDatabaseUrn: legacy.recoveryDatabaseUrn.replace(/-2$/, ""),
    };
    for (const generation of [1, 2])
      expect(partial(atPromote, at({ generation }))).toMatchObject({
        allowed: false,
        problem: expect.stringContaining("its generation is unknown"),
      });
    // A tier without a recovery database in normal operation: the serving one's name alone
    // (autonamed, its 7-character suffix dropped; all digits too).
    expect(
      readDeployed({
        ...legacy,
        tier: "backup-restore",
        recoveryDatabaseUrn: undefined,
        databaseAddress: "primary-db-1234567.cxyz.us-east-1.rds.amazonaws.com",
      }),
    ).toMatchObject({ kind: "partial", generation: 1 });
    expect(
      readDeployed({ ...legacy, databaseAddress: undefined }),
    ).toMatchObject({ kind: "partial", generation: undefined });
    // Failed over, the failback step is unknown: a run at none could lift the fence or drop a
    // seeding successor, so nothing but the override moves it, not even a run that keeps it.
    const failedOver = { ...legacy, failover: true };
    for (const to of [
      at({ failover: true, failoverStep: "resize" }),
      at({ failover: true, failoverStep: "resize", failback: "fence" }),
    ])
      expect(partial(failedOver, to)).toMatchObject({
        allowed: false,
        problem: expect.stringContaining(
          "failed over, its failback step is unknown",
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

  it("takes a step back from reseed (to the fence) and from freeze (to reseed), never from promote", () => {
    const at = (failback: DrState["failback"]) =>
      STATES.find(
        (s) =>
          s.tier === "warm-standby" &&
          s.failback === failback &&
          s.generation === 1 &&
          (failback === "promote" || s.failoverStep === "resize"),
      ) as DrState;
    expect(check(at("reseed"), at("fence"))).toEqual({ allowed: true });
    expect(check(at("freeze"), at("reseed"))).toEqual({ allowed: true });
    expect(check(at("freeze"), at("fence"))).toMatchObject({ allowed: false });
    expect(check(at("promote"), at("freeze"))).toMatchObject({
      allowed: false,
    });
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
  it("is written (its recovery-region copy, then the output) only once every resource that makes it real is: an update that fails on any of them keeps the last one", async () => {
    // Failed over at pilot-light, in the resize step: each of these held unanswered in turn.
    const held = [
      ["aws:rds/instance:Instance", "recovery-db"],
      ["aws:autoscaling/group:Group", "recovery-asg"],
      ["aws:ssm/parameter:Parameter", "recovery-endpoints-writer"],
      ["aws:backup/selection:Selection", "recovery-backup-selection"],
      ["awsx:ec2:Vpc", "recovery-vpc"],
    ];
    const waiting = new Map<string, () => void>();
    const marker: string[] = [];
    const newResource = PlanRecorder.prototype.newResource;
    const spy = jest
      .spyOn(PlanRecorder.prototype, "newResource")
      .mockImplementation(function (this: PlanRecorder, args) {
        const answer = newResource.call(this, args);
        if (args.name === "deployed-state-marker") marker.push(args.name);
        const key = held.find(
          ([type, name]) => args.type === type && args.name === name,
        );
        if (!key) return answer;
        return new Promise((resolve) =>
          waiting.set(key.join(" "), () => resolve(answer)),
        ) as unknown as typeof answer;
      });
    const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
    let run: ReturnType<typeof runProgram> | undefined;
    try {
      run = runProgram(
        program,
        "aws-dr",
        "test",
        {
          ...MINIMAL_CONFIG,
          "dr:tier": "pilot-light",
          "dr:failover": true,
          "dr:failoverStep": "resize",
        },
        ["dr:databasePassword"],
        { [NO_DEPLOYED_STATE_GIVEN]: true },
      );
      // Each held one in turn (those built on it register once it is answered): until the last
      // is answered, the copy is not even asked for.
      const answered: string[] = [];
      for (let t = 0; t < 200 && answered.length < held.length; t++) {
        await tick();
        const [key, answer] =
          [...waiting].find(([k]) => !answered.includes(k)) ?? [];
        if (!key || !answer) continue;
        expect([key, marker]).toEqual([key, []]);
        answered.push(key);
        answer();
      }
      expect(answered.sort()).toEqual(held.map((h) => h.join(" ")).sort());
      const { outputs, recorder } = await run;
      expect(marker).toEqual(["deployed-state-marker"]);
      expect(outputs[DR_STATE_OUTPUT]).toMatchObject({
        tier: "pilot-light",
        failover: true,
        failoverStep: "resize",
        sequence: 1,
      });
      const copy = recorder.one(
        "aws:ssm/parameter:Parameter",
        "deployed-state-marker",
      );
      expect([
        copy.region,
        copy.inputs.name,
        JSON.parse(String(copy.inputs.insecureValue)),
        copy.inputs.overwrite,
      ]).toEqual([
        "us-west-2",
        stateMarkerName("aws-dr", "test"),
        outputs[DR_STATE_OUTPUT],
        true,
      ]);
    } finally {
      // A failed expectation leaves resources held: answer them, so the run ends (the mock
      // runtime runs one program at a time) before the spy goes.
      for (const answer of waiting.values()) answer();
      await run?.catch(() => undefined);
      spy.mockRestore();
    }
  });
});

describe("what the published state waits for", () => {
  const run = runnerOf(TIER_TEST_CONFIG);
  /** The record URNs the recovery-region copy of the state waits for, and every record planned. */
  const recordsOf = async (overrides: Record<string, unknown>) => {
    const { recorder } = await run(overrides);
    const copy = recorder.one(
      "aws:ssm/parameter:Parameter",
      "deployed-state-marker",
    );
    const records = recorder.resources
      .filter((r) => r.type === "aws:route53/record:Record")
      .map((r) => r.urn);
    const awaited = (copy.propertyDependencies.insecureValue ?? []).filter(
      (urn) => records.includes(urn),
    );
    return { awaited: awaited.sort(), records: records.sort() };
  };

  it("is the sites' DNS records in normal operation, but not while failed over: Route 53's control plane (us-east-1) may be down with the primary", async () => {
    for (const tier of ["pilot-light", "active-active"]) {
      const normal = await recordsOf({ "dr:tier": tier });
      expect(normal.records.length).toBeGreaterThan(0);
      expect(normal.awaited).toEqual(normal.records);
      const failedOver = await recordsOf({
        "dr:tier": tier,
        "dr:failover": true,
      });
      expect(failedOver.records.length).toBeGreaterThan(0);
      expect(failedOver.awaited).toEqual([]);
    }
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
      sequence: 1,
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
