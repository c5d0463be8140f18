// dr:iamPermissionsBoundary: the state bootstrap's deploy role creates and changes roles only with
// the environment's boundary (tools/state), so every role the program registers must carry it when
// the key is set, and none may when it is not (the shipped plans stay as they were).
import { parseConfig } from "@aws-dr/model";
import type { Recording, RawStackConfig } from "@aws-dr/testing";
import { STACK_SCHEMA } from "./settings";
import { MINIMAL_KEYS } from "./test-config";
import { TIER_TEST_CONFIG, runnerOf } from "./test-stack";

const BOUNDARY = "arn:aws:iam::123456789012:policy/aws-dr-test-boundary";

const run = async (overrides: RawStackConfig) =>
  (await runnerOf(TIER_TEST_CONFIG)(overrides)).recorder;

/** Between them, every role the program makes: fleets', backup, replication, fence, FIS, ARC. */
const CASES: [string, RawStackConfig][] = [
  ["backup-restore", { "dr:tier": "backup-restore" }],
  [
    "warm-standby, guarded (the Region switch plan's approver)",
    { "dr:tier": "warm-standby", "dr:protectData": true },
  ],
  [
    "pilot-light failed over",
    { "dr:tier": "pilot-light", "dr:failover": true },
  ],
  [
    "active-active with a session table and a game day",
    {
      "dr:tier": "active-active",
      "dr:sessionTable": true,
      "dr:gameDay": { enabled: true },
    },
  ],
];

const roles = (recording: Recording) => recording.ofType("aws:iam/role:Role");

describe("dr:iamPermissionsBoundary", () => {
  it.each(CASES)(
    "%s: set, every role the program registers carries it",
    async (_, config) => {
      const recording = await run({
        ...config,
        "dr:iamPermissionsBoundary": BOUNDARY,
      });
      expect(roles(recording).length).toBeGreaterThan(0);
      for (const role of roles(recording))
        expect([role.name, role.inputs.permissionsBoundary]).toEqual([
          role.name,
          BOUNDARY,
        ]);
    },
  );

  // Unset, at the two tiers between which every role kind is made (the shipped stacks' plans,
  // which set none, are compared across commits too).
  it.each([CASES[0], CASES[3]])(
    "%s: unset, no role has one",
    async (_, config) => {
      const recording = await run(config);
      for (const role of roles(recording))
        expect([role.name, "permissionsBoundary" in role.inputs]).toEqual([
          role.name,
          false,
        ]);
    },
  );

  it("covers every kind of role the program makes", async () => {
    const names = new Set<string>();
    for (const [, config] of CASES)
      for (const role of roles(
        await run({ ...config, "dr:iamPermissionsBoundary": BOUNDARY }),
      ))
        names.add(role.name);
    for (const expected of [
      "primary-role",
      "recovery-instance-role",
      "backup-role",
      "data-replication-role",
      "primary-fence-publisher",
      "game-day-fis",
      "region-switch-execution",
      "region-switch-approver",
      "endpoint-switch-primary",
      "endpoint-switch-recovery",
    ])
      expect([...names]).toContain(expected);
  });

  it.each([
    "arn:aws:iam::123456789012:role/aws-dr-test-boundary",
    "aws-dr-test-boundary",
    "arn:aws:iam::12345:policy/x",
  ])("refuses %s: not an IAM policy ARN", async (value) => {
    await expect(
      run({ "dr:tier": "backup-restore", "dr:iamPermissionsBoundary": value }),
    ).rejects.toThrow("must be an IAM policy ARN");
  });

  it("takes AWS managed policies and policies with a path", () => {
    // The config check alone: the cases above show the value reaches every role.
    for (const arn of [
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws:iam::123456789012:policy/boundaries/aws-dr-test-boundary",
    ])
      expect(
        parseConfig(
          { ...MINIMAL_KEYS, iamPermissionsBoundary: arn },
          STACK_SCHEMA,
        ).iamPermissionsBoundary,
      ).toBe(arn);
  });
});
