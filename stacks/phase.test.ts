// The phase resolver over tier x failover x failback x generation, on the program's own schema:
// what each site runs in every state a config admits (the wiring only builds this).
import {
  ConfigError,
  FAILBACK_STEPS,
  FAILOVER_STEPS,
  parseConfig,
  TIERS,
  type DatabasePhase,
  type Phase,
} from "@aws-dr/model";
import { phaseOf, STACK_SCHEMA } from "./settings";

const RAW = {
  primaryRegion: "us-east-1",
  recoveryRegion: "us-west-2",
  app: { amiId: "ami-0123456789abcdef0", minSize: 2, maxSize: 6 },
  network: {
    primaryZones: ["us-east-1a", "us-east-1b"],
    recoveryZones: ["us-west-2a", "us-west-2b"],
  },
  dns: { zoneId: "Z0123456789ABC", recordName: "app.example.com" },
  protectData: true,
  targets: { rtoMinutes: 100000, rpoMinutes: 100000 },
};

const origin = (db?: DatabasePhase) => {
  if (!db) return "-";
  const o = db.origin;
  const how =
    o.kind === "replica"
      ? `replica of ${o.of}`
      : o.kind === "promoted" && o.confirm
        ? "promoted now"
        : o.kind;
  const instances = db.instances ? `, ${db.instances.length} instances` : "";
  return `${db.name} ${how}${db.promotionOnly ? " (promotion only)" : ""}${db.role ? ` (${db.role})` : ""}${db.readOnly ? " read-only" : ""}${instances}`;
};

/** One line per phase: who serves, the databases, the recovery fleet and NAT, the records. */
function summary(p: Phase): string {
  const weights = Object.entries(p.weights)
    .map(([site, w]) => `${site}=${w}`)
    .join(",");
  return [
    `serves ${p.serving}`,
    `primary: ${origin(p.primary.database)}${p.primary.otherDatabase ? ` + ${origin(p.primary.otherDatabase)}` : ""}${p.primary.fleet.maxSize === 0 ? ", fleet 0-0" : ""}`,
    p.recovery
      ? `recovery: ${origin(p.recovery.database)}, fleet ${p.recovery.fleet.minSize}-${p.recovery.fleet.maxSize}${p.recovery.guarded ? ", guarded" : ""}`
      : "no recovery site",
    `nat ${p.recoveryNat}`,
    `records ${weights}`,
  ].join(" | ");
}

const resolve = (
  tier: string,
  failover: boolean,
  failback: string,
  generation: number,
  // The reseed and freeze come after the failover's resize step (config admits them only there).
  failoverStep = ["reseed", "freeze"].includes(failback) ? "resize" : "promote",
  database: Record<string, unknown> = {},
) =>
  phaseOf(
    parseConfig(
      {
        ...RAW,
        tier,
        failover,
        failoverStep,
        failback,
        database: { generation, ...database },
      },
      STACK_SCHEMA,
    ),
  );
const AURORA = { engine: "aurora-postgresql", instanceClass: "db.r6g.large" };

describe("resolvePhase", () => {
  it.each([
    // backup-restore: only backups in the recovery region until a failover restores a site there.
    [
      "backup-restore",
      false,
      "none",
      1,
      "serves primary | primary: primary-db new | no recovery site | nat none | records primary=1",
    ],
    [
      "backup-restore",
      true,
      "none",
      1,
      "serves recovery | primary: primary-db new | recovery: recovery-db snapshot, fleet 2-6, guarded | nat single | records recovery=1",
    ],
    [
      "backup-restore",
      true,
      "release",
      1,
      "serves recovery | primary: primary-db new | recovery: recovery-db snapshot, fleet 2-6 | nat single | records recovery=1",
    ],
    [
      "backup-restore",
      false,
      "none",
      2,
      "serves primary | primary: primary-db-2 promoted | no recovery site | nat none | records primary=1",
    ],
    // pilot light: a replica and a fleet at zero (one NAT gateway, for instances a Region switch plan starts) until failover promotes and scales it.
    [
      "pilot-light",
      false,
      "none",
      1,
      "serves primary | primary: primary-db new | recovery: recovery-db replica of primary (standby), fleet 0-6 | nat single | records primary=1,recovery=0",
    ],
    [
      "pilot-light",
      true,
      "none",
      1,
      "serves recovery | primary: primary-db new | recovery: recovery-db promoted now (promotion only) (promoting), fleet 2-6, guarded | nat single | records recovery=1",
    ],
    [
      "pilot-light",
      true,
      "reseed",
      1,
      "serves recovery | primary: primary-db new read-only + primary-db-2 replica of recovery (standby), fleet 0-0 | recovery: recovery-db promoted now, fleet 2-6, guarded | nat single | records recovery=1",
    ],
    [
      "pilot-light",
      false,
      "promote",
      1,
      "serves primary | primary: primary-db-2 promoted (promotion only) (promoting) + primary-db new (retiring) read-only | recovery: recovery-db promoted (retiring) read-only, fleet 2-6 | nat single | records primary=1,recovery=0",
    ],
    [
      "pilot-light",
      false,
      "none",
      2,
      "serves primary | primary: primary-db-2 promoted | recovery: recovery-db-2 replica of primary (standby), fleet 0-6 | nat single | records primary=1,recovery=0",
    ],
    [
      "pilot-light",
      true,
      "reseed",
      2,
      "serves recovery | primary: primary-db-2 promoted read-only + primary-db-3 replica of recovery (standby), fleet 0-0 | recovery: recovery-db-2 promoted now, fleet 2-6, guarded | nat single | records recovery=1",
    ],
    // warm standby: a small fleet always serving health checks, so NAT too.
    [
      "warm-standby",
      false,
      "none",
      1,
      "serves primary | primary: primary-db new | recovery: recovery-db replica of primary (standby), fleet 1-6 | nat single | records primary=1,recovery=0",
    ],
    [
      "warm-standby",
      false,
      "promote",
      1,
      "serves primary | primary: primary-db-2 promoted (promotion only) (promoting) + primary-db new (retiring) read-only | recovery: recovery-db promoted (retiring) read-only, fleet 2-6 | nat single | records primary=1,recovery=0",
    ],
    // active-active: a full second site, weighted 50/50 by default.
    [
      "active-active",
      false,
      "none",
      1,
      "serves primary | primary: primary-db new | recovery: recovery-db replica of primary (standby), fleet 2-6 | nat single | records primary=50,recovery=50",
    ],
    [
      "active-active",
      true,
      "none",
      1,
      "serves recovery | primary: primary-db new | recovery: recovery-db promoted now (promotion only) (promoting), fleet 2-6, guarded | nat single | records recovery=1",
    ],
    // The failback, step by step: the fence stops the stale primary's fleet and writes, the reseed
    // adds the successor, the freeze makes the serving database read-only, the promote moves traffic.
    [
      "pilot-light",
      true,
      "fence",
      1,
      "serves recovery | primary: primary-db new read-only, fleet 0-0 | recovery: recovery-db promoted now (promotion only) (promoting), fleet 2-6, guarded | nat single | records recovery=1",
    ],
    [
      "pilot-light",
      true,
      "freeze",
      1,
      "serves recovery | primary: primary-db new read-only + primary-db-2 replica of recovery (standby), fleet 0-0 | recovery: recovery-db promoted now read-only, fleet 2-6, guarded | nat single | records recovery=1",
    ],
    [
      "warm-standby",
      true,
      "none",
      1,
      "serves recovery | primary: primary-db new | recovery: recovery-db promoted now (promotion only) (promoting), fleet 2-6, guarded | nat single | records recovery=1",
    ],
    [
      "active-active",
      true,
      "reseed",
      1,
      "serves recovery | primary: primary-db new read-only + primary-db-2 replica of recovery (standby), fleet 0-0 | recovery: recovery-db promoted now, fleet 2-6, guarded | nat single | records recovery=1",
    ],
    // Active-active fails back to one site first; the next run gives the recovery site its weight back.
    [
      "active-active",
      false,
      "promote",
      1,
      "serves primary | primary: primary-db-2 promoted (promotion only) (promoting) + primary-db new (retiring) read-only | recovery: recovery-db promoted (retiring) read-only, fleet 2-6 | nat single | records primary=1,recovery=0",
    ],
  ] as const)(
    "%s failover=%s failback=%s generation %d: %s",
    (tier, failover, failback, generation, expected) => {
      expect(summary(resolve(tier, failover, failback, generation))).toBe(
        expected,
      );
    },
  );

  // On an Aurora global database AWS moves the writer: no successor, no generation; the resize
  // step gives the new writer the primary's instances, and a headless secondary its stand-in.
  it.each([
    [
      "pilot-light",
      false,
      "promote",
      "serves primary | primary: primary-db new, 2 instances | recovery: recovery-db replica of primary (standby), 0 instances, fleet 0-6 | nat single | records primary=1,recovery=0",
    ],
    [
      "pilot-light",
      true,
      "promote",
      "serves recovery | primary: primary-db new, 2 instances | recovery: recovery-db promoted (promoting), 0 instances, fleet 2-6, guarded | nat single | records recovery=1",
    ],
    [
      "pilot-light",
      true,
      "resize",
      "serves recovery | primary: primary-db new, 2 instances | recovery: recovery-db promoted, 2 instances, fleet 2-6, guarded | nat single | records recovery=1",
    ],
    [
      "active-active",
      false,
      "promote",
      "serves primary | primary: primary-db new, 2 instances | recovery: recovery-db replica of primary (standby), 2 instances, fleet 2-6 | nat single | records primary=50,recovery=50",
    ],
    [
      "backup-restore",
      true,
      "promote",
      "serves recovery | primary: primary-db new, 2 instances | recovery: recovery-db snapshot, 2 instances, fleet 2-6, guarded | nat single | records recovery=1",
    ],
  ] as const)(
    "on Aurora, %s failover=%s failoverStep=%s: %s",
    (tier, failover, failoverStep, expected) => {
      expect(
        summary(resolve(tier, failover, "none", 1, failoverStep, AURORA)),
      ).toBe(expected);
    },
  );

  it.each([
    // tier, the Region switch plan's stand-in (a headless secondary), a global database to ask
    ["backup-restore", false, false],
    ["pilot-light", true, true],
    ["warm-standby", false, true],
    ["active-active", false, true],
  ] as const)(
    "on Aurora, %s: stand-in %s and global database %s, the same through every failover step",
    (tier, standIn, global) => {
      const states = [
        resolve(tier, false, "none", 1, "promote", AURORA),
        resolve(tier, true, "none", 1, "promote", AURORA),
        resolve(tier, true, "none", 1, "resize", AURORA),
      ];
      expect(
        states.map((p) => [
          p.auroraStandIn,
          p.primary.database.globalMember,
          p.awaitsRecords,
        ]),
      ).toEqual([
        [standIn, global, true],
        [standIn, global, false],
        [standIn, global, false],
      ]);
    },
  );

  // Every combination: resolved with the invariants below, or refused by config before anything.
  const combos = TIERS.flatMap((tier) =>
    [false, true].flatMap((failover) =>
      FAILOVER_STEPS.flatMap((failoverStep) =>
        FAILBACK_STEPS.flatMap((failback) =>
          [1, 2, 3].map((generation) => ({
            tier,
            failover,
            failoverStep,
            failback,
            generation,
          })),
        ),
      ),
    ),
  );

  it("resolves every state the config admits and refuses the rest with the step keys", () => {
    let resolved = 0;
    for (const {
      tier,
      failover,
      failoverStep,
      failback,
      generation,
    } of combos) {
      let phase: Phase;
      try {
        phase = resolve(tier, failover, failback, generation, failoverStep);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).problems.join()).toMatch(
          /dr:failback|dr:failoverStep/,
        );
        continue;
      }
      resolved++;
      const live = STACK_SCHEMA.profiles[tier].liveReplicas;
      // Failing over: the recovery site serves, guarded until release, backed up, pinned by DNS.
      expect(phase.serving).toBe(failover ? "recovery" : "primary");
      // While failed over the published state never waits on Route 53's control plane (us-east-1).
      expect(phase.awaitsRecords).toBe(!failover);
      expect(phase.auroraStandIn).toBe(false);
      if (failover) {
        expect(phase.weights).toEqual({ recovery: 1 });
        // At a replica tier from the resize step, which turns the database's backups on.
        expect(phase.recoveryBackups).toBe(!live || failoverStep === "resize");
        expect(phase.recovery?.guarded).toBe(failback !== "release");
        expect(phase.recovery?.fleet).toEqual({ minSize: 2, maxSize: 6 });
        expect(phase.recoveryEndpoints?.writer).toBe("recovery");
      }
      // The primary's URN-bearing names follow the generation only.
      expect(phase.primary.database.name).toBe(
        generation + (failback === "promote" ? 1 : 0) === 1
          ? "primary-db"
          : `primary-db-${generation + (failback === "promote" ? 1 : 0)}`,
      );
      // A replica tier always has its recovery site; no data leaves unguarded unless tagged why.
      if (live) expect(phase.recovery).toBeDefined();
      for (const db of [phase.primary.otherDatabase, phase.recovery?.database])
        if (db?.protect === false) expect(db.role).toBeDefined();
      // Lag alarms only where something replicates.
      expect(phase.alarms.replica).toBe(
        live && !failover && failback === "none",
      );
      expect(phase.alarms.successor).toBe(
        failback === "reseed" || failback === "freeze",
      );
      // The successor's seed may take more WAL than its source's usual slot bound keeps; the
      // source turns read-only in a run of its own before the promotion.
      expect(phase.recovery?.database.seedsReplica ?? false).toBe(
        failback === "reseed",
      );
      if (live && failover)
        expect(phase.recovery?.database.readOnly ?? false).toBe(
          failback === "freeze",
        );
      // The primary site is fenced from the fence step until the promotion.
      expect(phase.primary.fleet.maxSize === 0).toBe(
        ["fence", "reseed", "freeze"].includes(failback),
      );
      // NAT wherever instances run or may start in the recovery region (the plan is on in RAW),
      // never where none can.
      expect(phase.recoveryNat === "none").toBe(
        !phase.recovery || phase.recovery.fleet.maxSize === 0,
      );
    }
    // backup-restore: none before failover, none and release in either failover step; each
    // replica tier: none and promote before failover, none and fence in either step, reseed and
    // freeze after resize. In 3 generations.
    expect(resolved).toBe((5 + 8 * 3) * 3);
  });

  it("switches operations on only at the tiers whose profile offers them", () => {
    const phase = (tier: string, extra = {}) =>
      phaseOf(
        parseConfig(
          { ...RAW, tier, gameDay: { enabled: true }, ...extra },
          STACK_SCHEMA,
        ),
      );
    expect(TIERS.filter((t) => phase(t).gameDay)).toEqual([
      "warm-standby",
      "active-active",
    ]);
    expect(TIERS.filter((t) => phase(t).regionSwitch)).toEqual([
      "pilot-light",
      "warm-standby",
      "active-active",
    ]);
    // The plan's Route 53 step needs a zone.
    expect(phase("pilot-light", { dns: undefined }).regionSwitch).toBe(false);
    expect(phase("active-active").peering).toBe(true);
  });

  it("sizes the standby replica from the tier's own settings, Multi-AZ only where it serves reads", () => {
    const cfg = (tier: string) =>
      phaseOf(
        parseConfig(
          {
            ...RAW,
            tier,
            database: { instanceClass: "db.r7g.large", multiAz: true },
            pilotLight: { replicaInstanceClass: "db.t4g.medium" },
          },
          STACK_SCHEMA,
        ),
      ).recovery?.database;
    expect(cfg("pilot-light")).toMatchObject({
      instanceClass: "db.t4g.medium",
      multiAz: false,
      backupRetentionDays: 0,
    });
    expect(cfg("active-active")).toMatchObject({
      instanceClass: "db.r7g.large",
      multiAz: true,
    });
  });

  it("fails over in two steps at a replica tier: promote changes nothing but the promotion, resize then grows it", () => {
    const recovery = (tier: string, extra: Record<string, unknown>) =>
      phaseOf(
        parseConfig(
          {
            ...RAW,
            tier,
            failover: true,
            database: { instanceClass: "db.r7g.large", multiAz: true },
            pilotLight: { replicaInstanceClass: "db.t4g.medium" },
            ...extra,
          },
          STACK_SCHEMA,
        ),
      ).recovery;
    // The replica's shape, held: nothing but PromoteReadReplica reaches RDS.
    expect(recovery("pilot-light", {})?.database).toMatchObject({
      origin: { kind: "promoted", confirm: true },
      instanceClass: "db.t4g.medium",
      multiAz: false,
      backupRetentionDays: 0,
      promotionOnly: true,
    });
    // The resize step: the configured database's class, Multi-AZ and retention (unset = configured).
    const resized = recovery("pilot-light", {
      failoverStep: "resize",
    })?.database;
    expect(resized).toMatchObject({
      origin: { kind: "promoted", confirm: true },
    });
    for (const key of [
      "instanceClass",
      "multiAz",
      "backupRetentionDays",
      "promotionOnly",
    ])
      expect(resized).not.toHaveProperty(key);
    // backup-restore restores at full size: no promotion to hold.
    expect(
      recovery("backup-restore", {})?.database.promotionOnly,
    ).toBeUndefined();
    // The recovery fleet never holds a failover run for capacity, at any tier.
    for (const tier of TIERS)
      expect(recovery(tier, {})?.waitForCapacity).toBe(false);
  });

  it("makes a tier upgrade wait for the recovery capacity it sends traffic to, and nothing else wait for it", () => {
    const waits = (tier: string, failover = false, failback = "none") =>
      resolve(tier, failover, failback, 1).recovery?.waitForCapacity;
    expect(waits("active-active")).toBe(true);
    // Standbys take no traffic; the failback's promote step shrinks the fleet to nothing.
    expect(waits("pilot-light")).toBe(false);
    expect(waits("warm-standby")).toBe(false);
    expect(waits("active-active", false, "promote")).toBe(false);
  });

  it("fences the primary site at the failback's first step (no instance writes to its stale database) and grows it again, waiting for its capacity, when the primary serves", () => {
    const primary = (failover: boolean, failback: string) =>
      resolve("warm-standby", failover, failback, 1).primary;
    for (const failback of ["fence", "reseed"]) {
      expect(primary(true, failback)).toMatchObject({
        fleet: { minSize: 0, maxSize: 0 },
        waitForCapacity: false,
      });
      expect(primary(true, failback).database).toMatchObject({
        name: "primary-db",
        readOnly: true,
      });
    }
    // The fence is the one failback step taken before the failover's resize step: it changes only
    // the primary region, as soon as that answers.
    expect(
      resolve("warm-standby", true, "fence", 1, "promote").primary,
    ).toMatchObject({ fleet: { minSize: 0, maxSize: 0 } });
    for (const [failover, failback] of [
      [true, "none"],
      [false, "promote"],
      [false, "none"],
    ] as const)
      expect(primary(failover, failback)).toMatchObject({
        fleet: { minSize: 2, maxSize: 6 },
        waitForCapacity: true,
      });
  });

  it("raises the primary record's data-plane fence exactly while failed over", () => {
    for (const tier of TIERS)
      for (const failover of [false, true])
        expect([
          tier,
          failover,
          resolve(tier, failover, "none", 1).primaryFenced,
        ]).toEqual([tier, failover, failover]);
  });

  it("starts the failback's reseed only after the failover's resize step, naming both keys", () => {
    expect(() => resolve("warm-standby", true, "reseed", 1, "promote")).toThrow(
      /dr:failback = "reseed": comes after the failover's resize step \(dr:failoverStep "resize"\)/,
    );
  });

  it("keeps a pilot light's NAT gateway with or without the Region switch plan: made by the failover run, it would come up beside the instances it must serve", () => {
    const nat = (regionSwitch: boolean) =>
      phaseOf(
        parseConfig(
          {
            ...RAW,
            tier: "pilot-light",
            regionSwitch: { enabled: regionSwitch },
          },
          STACK_SCHEMA,
        ),
      ).recoveryNat;
    expect([nat(true), nat(false)]).toEqual(["single", "single"]);
  });

  it("refuses the resize step without a failover, naming the key", () => {
    expect(() =>
      parseConfig(
        { ...RAW, tier: "pilot-light", failoverStep: "resize" },
        STACK_SCHEMA,
      ),
    ).toThrow(/dr:failoverStep = "resize": is the second step of a failover/);
  });
});
