// The phase resolver: from validated config and the tier's profile to what each site runs. The
// program's wiring reads its answer and builds resources; no wiring file decides a phase itself.
import type { GuardlessRole } from "@aws-dr/contracts";
import { auroraInstanceCount, type Engine } from "./config/database";
import type {
  FailbackStep,
  FailoverStep,
  FleetSize,
  TierProfile,
} from "./tiers";

/** What the resolver reads of a validated config. */
export interface PhaseConfig {
  failover: boolean;
  failoverStep: FailoverStep;
  failback: FailbackStep;
  protectData: boolean;
  app: FleetSize;
  network: { natGateways: "single" | "one-per-az" };
  database: {
    engine: Engine;
    generation: number;
    instanceClass: string;
    multiAz: boolean;
    restoreSnapshot?: string;
  };
  dns?: { weights?: { primary: number; recovery: number } };
}

/** The tier's own settings (dr:<profile.settingsKey>), where it has them. */
export interface TierSettingsView {
  /** The standby replica's instance class; default the primary's. */
  replicaInstanceClass?: string;
  /** Warm standby's always-on instances. */
  minSize?: number;
}

/** Which operations are switched on in config (dr:gameDay.enabled, dr:regionSwitch.enabled). */
export interface OperationsEnabled {
  gameDay: boolean;
  regionSwitch: boolean;
}

/** Where a database's data comes from. */
export type DatabaseOrigin =
  /** Empty, created with the configured name and user. */
  | { kind: "new" }
  /** Restored from a snapshot: the configured one, or (undefined) the newest finished backup copy. */
  | { kind: "snapshot"; snapshot?: string }
  /** A live cross-region read replica of the other site's serving database. */
  | { kind: "replica"; of: "primary" | "recovery" }
  /**
   * A replica that has been promoted (its source removed, RDS's in-place promotion). `confirm`:
   * promoted by this very run, so the replica must first be found in the recovery region.
   */
  | { kind: "promoted"; confirm: boolean };

/** One database as a site runs it. Unset fields are the configured database's. */
export interface DatabasePhase {
  /** Logical name (part of its URN): `<site>-db`, then `-<generation>` after each failback. */
  name: string;
  origin: DatabaseOrigin;
  /** Its physical identifier is fixed (so a failover finds it without the primary); else autonamed. */
  fixedIdentifier: boolean;
  instanceClass?: string;
  multiAz?: boolean;
  /** 0 for a replica (RDS keeps no backups of one). */
  backupRetentionDays?: number;
  /**
   * An update sends RDS nothing but the promotion: class, Multi-AZ and backup retention stay what
   * the database has (the failover's promote step), so what waits for it waits for the promotion only.
   */
  promotionOnly?: boolean;
  /**
   * Takes no writes (PostgreSQL's default_transaction_read_only): a stale database a failback has
   * replaced as the writer, so an app still pointed at it (a cached parameter, a new instance
   * booting before its parameters change) gets the read-only error the app contract re-reads its
   * parameters on, and no write lands where only a final snapshot would keep it.
   */
  readOnly?: boolean;
  /**
   * A replica of it is being seeded in the other region (the failback's reseed): its replication
   * slots keep WAL up to a quarter of its storage ceiling (not the usual fifth of its allocated
   * storage) while the seed's snapshot is copied across regions and restored, which takes longer
   * than the usual bound lasts on a busy database. Its slot-lag and WAL alarms follow the bound;
   * the next step bounds it as usual again.
   */
  seedsReplica?: boolean;
  /** Its own guard; default the site's. */
  protect?: boolean;
  /** A final snapshot when it is deleted; default its guard. */
  finalSnapshot?: boolean;
  /** Why it goes without production guards, when it does (the policy pack reads the tag). */
  role?: GuardlessRole;
  /** Aurora only: the cluster's instances (none: a headless secondary). */
  instances?: AuroraInstancePhase[];
  /** Aurora only: a member of the stack's global database (the replica tiers). */
  globalMember?: boolean;
  /** Aurora only: a secondary that forwards its writes to the writer (active-active's). */
  writeForwarding?: boolean;
  /**
   * Aurora only: its parameter group sets rds.global_db_rpo (dr:database.globalRpoSeconds). Not on
   * the writer of a failover: the old primary would rejoin lagging past the bound, and the writer
   * would then hold every commit until it caught up.
   */
  rpoBound?: boolean;
}

/** One instance of an Aurora cluster. */
export interface AuroraInstancePhase {
  /** Logical name, `<cluster>-<n>`: the same instance keeps its name across phases. */
  name: string;
  instanceClass: string;
}

export interface SitePhase {
  fleet: FleetSize;
  /** The database the site's app uses. */
  database: DatabasePhase;
  /** A second database during a failback: the successor being seeded, or the stale predecessor. */
  otherDatabase?: DatabasePhase;
  /** Production guards on the site's load balancer and database. */
  guarded: boolean;
  /** A site that serves no traffic (a standby): its load balancer goes without guards by design. */
  standby: boolean;
  /**
   * Whether `pulumi up` waits for the fleet's healthy capacity. At the recovery site only where
   * its record takes traffic outside a failover (active-active), so a tier upgrade's weight waits
   * for the capacity it sends traffic to. Never while failed over: the failover run must not stop
   * at a capacity timeout before the writer and records change (the load balancer's health checks
   * decide when instances serve; the capacity alarm says when they lag). Nor where it takes none:
   * a shrink (the failback's promote step, a downgrade) would wait for the group's last desired
   * capacity, which it no longer reaches.
   */
  waitForCapacity: boolean;
}

/** Which site a region's endpoint parameters name. */
export interface EndpointsPhase {
  writer: "primary" | "recovery";
  reader: "primary" | "recovery";
  servingRegion: "primary" | "recovery";
}

/** What every part of the stack runs in one tier, failover and failback state. */
export interface Phase {
  /** The site users reach and whose database takes writes. */
  serving: "primary" | "recovery";
  primary: SitePhase;
  /** The recovery site; undefined where the tier runs none (backup-restore before a failover). */
  recovery?: SitePhase;
  /**
   * The primary record's data-plane fence is up (while failed over): its health check fails, so
   * Route 53 keeps traffic off the stale primary even where removing its record (a control-plane
   * call in us-east-1) failed, and after its region comes back.
   */
  primaryFenced: boolean;
  /** NAT gateways of the recovery network: only while instances run (or may start) there. */
  recoveryNat: "none" | "single" | "one-per-az";
  /**
   * The recovery site's own AWS Backup plan, while it serves (and takes production writes); at a
   * replica tier from the failover's resize step, which turns on the database's backups (a
   * continuous rule on a database without them would have AWS Backup turn them on, restarting it
   * at a time nobody chose). On Aurora from the failover's first run: every member of a global
   * database keeps automated backups of its own.
   */
  recoveryBackups: boolean;
  /** Route 53 weights of the sites' records; a site without a weight has no record. */
  weights: { primary?: number; recovery?: number };
  /**
   * The published state waits for the sites' records. Not while failed over: a record change is a
   * call to Route 53's control plane (in us-east-1), which may be down with the primary region; the
   * fence, in the recovery region, is what keeps traffic off the stale primary. A failover whose
   * records could not change is still a failover, and its next step (the resize) must not be
   * refused for it.
   */
  awaitsRecords: boolean;
  /** The recovery region's endpoint parameters (the primary's always name the primary site). */
  recoveryEndpoints?: EndpointsPhase;
  /** Replication-lag alarms: on the standby replica, and on the failback's successor. */
  alarms: { replica: boolean; successor: boolean };
  peering: boolean;
  gameDay: boolean;
  regionSwitch: boolean;
  /**
   * The Region switch plan's stand-in step (Aurora, a headless secondary: an instance before its
   * failover, whose creation is on the RTO). By the tier, not by the recovery cluster's instances:
   * the resize step must not remove it (an IAM and ARC plan change in us-east-1 while failed over).
   */
  auroraStandIn: boolean;
  /** Watch the standby fleet's capacity as an output (the standby tiers). */
  reportsRecoveryFleet: boolean;
}

/** Active-active's split of traffic when dr:dns.weights is not set: even. */
export const DEFAULT_WEIGHTS = { primary: 50, recovery: 50 } as const;

/** A database's logical name in a generation: the first keeps the plain name. */
export function generationName(base: string, generation: number): string {
  return generation === 1 ? base : `${base}-${generation}`;
}

/**
 * The recovery-region fleet size before failover, given the primary fleet's size and warm
 * standby's always-on instances; undefined where the tier runs no recovery fleet. A standby fleet
 * runs its few (or none) but may grow to the primary's maximum, so that Auto Scaling, or a Region
 * switch plan raising its desired capacity, can take the whole load before anyone changes config.
 * On failover every tier runs a full fleet.
 */
export function recoveryFleetSize(
  profile: TierProfile,
  failover: boolean,
  primary: FleetSize,
  smallMinSize: number | undefined,
): FleetSize | undefined {
  if (failover) return primary;
  switch (profile.standbyFleet) {
    case "none":
      return undefined;
    case "zero":
      return { minSize: 0, maxSize: primary.maxSize };
    case "small":
      if (smallMinSize === undefined)
        throw new Error(
          `${profile.tier} runs a small standby fleet, but its settings (dr:${profile.settingsKey}) give no minSize`,
        );
      return { minSize: smallMinSize, maxSize: primary.maxSize };
    case "full":
      return primary;
  }
}

/**
 * One record model at every tier: weighted alias records with health checks, so a tier switch only
 * adds, removes or re-weights records of one routing policy (Route 53 refuses two policies for one
 * name, and Pulumi creates before it deletes). The standby at weight 0 gets traffic only when the
 * primary is unhealthy: failover in Route 53's data plane, no `pulumi up` needed. Weighted routing
 * splits traffic by dr:dns.weights. On dr:failover the primary's record goes (weight 0 would not
 * do: Route 53 sends a weight-0 record traffic when the others are unhealthy), so traffic stays on
 * the promoted site even when the stale primary's health check passes again.
 */
export function siteWeights(
  profile: TierProfile,
  failover: boolean,
  failback: FailbackStep = "none",
  weights: { primary: number; recovery: number } = DEFAULT_WEIGHTS,
): Phase["weights"] {
  if (failover) return { recovery: 1 };
  if (profile.standbyFleet === "none") return { primary: 1 };
  // Failing back: the primary serves again. The recovery record stays, at 0, so its weight moves
  // before its fleet goes (the fleet changes after the records); with no instances left behind it,
  // its own health check keeps Route 53 from the stale site.
  if (failback === "promote") return { primary: 1, recovery: 0 };
  return profile.routing === "weighted"
    ? { ...weights }
    : { primary: 1, recovery: 0 };
}

/** The failback's successor until the step after its promotion: a replica's shape. */
const SUCCESSOR_SHAPE = { multiAz: false, backupRetentionDays: 0 } as const;

/**
 * The primary site's databases in the config's generation and failback step. RDS cannot turn a
 * promoted database back into a replica, so a standby failback builds a successor: the one designed
 * exception to "the primary's data is never replaced", in steps (docs, "Failback"):
 * - fence (still failed over, the first run once the primary region answers): the stale primary
 *   takes no writes (read-only).
 * - reseed (still failed over): the successor replicates the promoted recovery database; the stale
 *   primary stays fenced.
 * - freeze (still failed over): the same; the recovery database turns read-only (recovery side).
 * - promote: the successor is promoted (nothing else: single-AZ, no backups yet) and serves,
 *   guarded by Pulumi's protect; the stale primary loses its guard but keeps a final snapshot for
 *   its removal.
 * - none with generation + 1: the successor is the primary, Multi-AZ with backups (RDS restarts
 *   it once for the backups: a quiet hour); the stale one is deleted after its final snapshot.
 */
function primaryDatabases(
  cfg: PhaseConfig,
): Pick<SitePhase, "database" | "otherDatabase"> {
  const generation = cfg.database.generation;
  // A later generation was a replica once: its data, name and user came from its source.
  const current: DatabasePhase = {
    name: generationName("primary-db", generation),
    origin:
      generation > 1 ? { kind: "promoted", confirm: false } : { kind: "new" },
    fixedIdentifier: false,
  };
  const successor = generationName("primary-db", generation + 1);
  switch (cfg.failback) {
    case "fence":
      // Its region is back, and nothing may write to it any more.
      return { database: { ...current, readOnly: true } };
    case "reseed":
    case "freeze":
      return {
        database: { ...current, readOnly: true },
        otherDatabase: {
          name: successor,
          origin: { kind: "replica", of: "recovery" },
          fixedIdentifier: false,
          ...SUCCESSOR_SHAPE,
          protect: false,
          finalSnapshot: false,
          role: "standby",
        },
      };
    case "promote":
      return {
        // Promoted as it was seeded (single-AZ, no backups): writes and traffic wait for the
        // promotion only; Multi-AZ and backups come with the next step, after traffic moved.
        database: {
          name: successor,
          origin: { kind: "promoted", confirm: false },
          fixedIdentifier: false,
          ...SUCCESSOR_SHAPE,
          promotionOnly: true,
          role: "promoting",
        },
        otherDatabase: {
          ...current,
          protect: false,
          finalSnapshot: true,
          role: "retiring",
          readOnly: true,
        },
      };
    default:
      return { database: current };
  }
}

/** The recovery site's database at a replica tier. */
function standbyDatabase(
  cfg: PhaseConfig,
  profile: TierProfile,
  settings: TierSettingsView,
): Omit<DatabasePhase, "name" | "fixedIdentifier"> {
  const standbyShape = {
    instanceClass: settings.replicaInstanceClass ?? cfg.database.instanceClass,
    multiAz:
      profile.replicaMultiAz === "as-primary" ? cfg.database.multiAz : false,
    backupRetentionDays: 0,
  };
  if (cfg.failover)
    // Promoted: removing the source is RDS's in-place promotion. The promote step keeps the
    // replica's shape: a resize, a Multi-AZ conversion or backup retention in the same update
    // would keep the writer parameter and the records (which wait for the update) waiting for
    // them, and backup retention makes the promotion wait for a first, full backup. The resize
    // step then makes class, Multi-AZ and backups the primary's (dr:database).
    return cfg.failoverStep === "promote"
      ? {
          origin: { kind: "promoted", confirm: true },
          ...standbyShape,
          promotionOnly: true,
          finalSnapshot: true,
          role: "promoting",
        }
      : {
          origin: { kind: "promoted", confirm: true },
          finalSnapshot: true,
          ...(cfg.failback === "reseed" ? { seedsReplica: true } : {}),
          // Before the successor's promotion, in a run of its own: by the promote run the setting
          // is in force and the successor has replayed everything it took (its ReplicaLag at 0).
          ...(cfg.failback === "freeze" ? { readOnly: true } : {}),
        };
  if (cfg.failback === "promote")
    // The primary's successor serves again: this one is stale, unguarded, and deleted after a
    // final snapshot when the next generation's replica replaces it.
    return {
      origin: { kind: "promoted", confirm: false },
      finalSnapshot: true,
      protect: false,
      role: "retiring",
      readOnly: true,
    };
  return {
    origin: { kind: "replica", of: "primary" },
    ...standbyShape,
    // Its data lives in the primary, and RDS refuses a replica's final snapshot: a tier downgrade
    // deletes it without one (and without deletion protection in the way).
    finalSnapshot: false,
    role: "standby",
  };
}

/**
 * The smallest class a global database takes (memory-optimized, db.r5 and later; not burstable):
 * warm standby's one reader where dr:warmStandby.replicaInstanceClass is not set. Source: Aurora
 * user guide, "Configuration requirements of an Amazon Aurora global database".
 */
export const SMALLEST_GLOBAL_CLASS = "db.r6g.large";

/** `count` instances of a class, numbered from `first`. */
function instancesOf(
  cluster: string,
  instanceClass: string,
  count: number,
  first = 1,
): AuroraInstancePhase[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${cluster}-${first + i}`,
    instanceClass,
  }));
}

/**
 * The sites' databases on Aurora. The primary's cluster is the same in every state: a failover
 * touches nothing in the primary region, and after AWS's failover and switchover it is the same
 * cluster again (no successor, no generation). The recovery cluster is the global database's
 * secondary; "promoted" (dr:failover=true) means AWS made it the writer, which changes none of its
 * inputs: the promote step keeps its instances (a headless one serves from the stand-in instance
 * the Region switch plan or the runbook adds before the failover), the resize step adds the
 * primary's instances beside them, and leaving the failover (after AWS switched back) removes
 * those again. At backup-restore the primary cluster is regional and a failover restores one.
 */
function auroraDatabases(
  cfg: PhaseConfig,
  profile: TierProfile,
  settings: TierSettingsView,
): { primary: DatabasePhase; recovery?: DatabasePhase } {
  const { instanceClass, multiAz } = cfg.database;
  const global = profile.aurora.secondary !== "none";
  const count = auroraInstanceCount(multiAz);
  const primary: DatabasePhase = {
    name: "primary-db",
    origin: { kind: "new" },
    fixedIdentifier: true,
    instances: instancesOf("primary-db", instanceClass, count),
    globalMember: global,
    rpoBound: global,
  };
  if (!global)
    return cfg.failover
      ? {
          primary,
          recovery: {
            name: "recovery-db",
            origin: {
              kind: "snapshot",
              snapshot: cfg.database.restoreSnapshot,
            },
            fixedIdentifier: true,
            instances: instancesOf("recovery-db", instanceClass, count),
            finalSnapshot: true,
          },
        }
      : { primary };
  const secondary = profile.aurora.secondary;
  const standby =
    secondary === "headless"
      ? []
      : instancesOf(
          "recovery-db",
          settings.replicaInstanceClass ??
            (secondary === "one-reader"
              ? SMALLEST_GLOBAL_CLASS
              : instanceClass),
          secondary === "one-reader" ? 1 : count,
        );
  const atPrimaryShape =
    standby.length === count &&
    standby.every((i) => i.instanceClass === instanceClass);
  const resized =
    cfg.failover && cfg.failoverStep === "resize" && !atPrimaryShape
      ? [
          ...standby,
          ...instancesOf(
            "recovery-db",
            instanceClass,
            count,
            standby.length + 1,
          ),
        ]
      : standby;
  const common = {
    name: "recovery-db",
    fixedIdentifier: true,
    globalMember: true,
    writeForwarding: profile.aurora.writeForwarding,
    instances: resized,
  };
  return {
    primary,
    recovery: cfg.failover
      ? {
          ...common,
          origin: { kind: "promoted", confirm: false },
          finalSnapshot: true,
          rpoBound: false,
          // The standby's instances write until the resize step adds the primary's.
          ...(cfg.failoverStep === "promote" && !atPrimaryShape
            ? { role: "promoting" as const }
            : {}),
        }
      : {
          ...common,
          origin: { kind: "replica", of: "primary" },
          rpoBound: true,
          // Its data is the writer's; AWS refuses a secondary's final snapshot no more than it
          // needs one.
          finalSnapshot: false,
          role: "standby",
        },
  };
}

/** What each site runs for a validated config at its tier (profile). */
export function resolvePhase(
  cfg: PhaseConfig,
  profile: TierProfile,
  settings: TierSettingsView,
  operations: OperationsEnabled,
): Phase {
  const primarySize = { minSize: cfg.app.minSize, maxSize: cfg.app.maxSize };
  const standbyTier = profile.liveReplicas;
  // The failback's first step fences the primary site: no instance of it writes to its stale
  // database once its region is back. It stays fenced through the reseed and grows again at the
  // promote step, before traffic moves.
  const primaryFenceStep = ["fence", "reseed", "freeze"].includes(cfg.failback);
  const primaryFleet = primaryFenceStep
    ? { minSize: 0, maxSize: 0 }
    : primarySize;
  // Failing back, the promote step leaves the recovery fleet as it served: users the DNS has not
  // moved yet keep being answered (its reads from the frozen recovery database, its writes to the
  // successor, unreachable from there at the tiers without peering: no write lands on the stale
  // copy). The next step shrinks it to its standby size, after its record's weight went to 0.
  const recoveryFleet = recoveryFleetSize(
    profile,
    cfg.failover || cfg.failback === "promote",
    primarySize,
    settings.minSize,
  );
  const recoveryDatabaseName = generationName(
    "recovery-db",
    cfg.database.generation,
  );
  const serving = cfg.failover ? "recovery" : "primary";
  const weights = siteWeights(
    profile,
    cfg.failover,
    cfg.failback,
    cfg.dns?.weights,
  );
  let recovery: SitePhase | undefined;
  if (standbyTier || cfg.failover) {
    const database: DatabasePhase = {
      name: recoveryDatabaseName,
      fixedIdentifier: true,
      ...(standbyTier
        ? standbyDatabase(cfg, profile, settings)
        : {
            origin: {
              kind: "snapshot",
              snapshot: cfg.database.restoreSnapshot,
            },
            // Failing back deletes it only after a final snapshot. (Retaining it instead would
            // block deleting its subnet group's network, parameter group and security group.)
            finalSnapshot: true,
          }),
    };
    recovery = {
      // Every tier fails over to a full-size fleet.
      fleet: recoveryFleet ?? primarySize,
      database,
      // While it serves it takes production writes: guarded like the primary until release.
      guarded: cfg.failover && cfg.protectData && cfg.failback !== "release",
      standby: !cfg.failover,
      waitForCapacity: !cfg.failover && (weights.recovery ?? 0) > 0,
    };
  }
  // NAT as configured while instances run there. Where instances may start before any `pulumi
  // up` (a pilot light the Region switch plan, or anyone, scales up), one NAT gateway: without it
  // they reach neither SSM, STS nor CloudWatch Logs, fail their health checks and never serve. One
  // NAT gateway (~$33 a month and $0.045/GB) costs less than the five interface endpoints those
  // need in two zones (~$73 a month and $0.01/GB), and also reaches whatever else the app calls.
  // Made only by the failover run, it would come up beside the instances it must serve first.
  // Through the failback's promote step too, where its instances still serve (and a NAT gateway
  // made again later would come with new Elastic IPs, breaking partners' allowlists).
  const instancesRun = cfg.failover || (recovery?.fleet.minSize ?? 0) > 0;
  const instancesMayStart = (recovery?.fleet.maxSize ?? 0) > 0;
  const recoveryNat = instancesRun
    ? cfg.network.natGateways
    : instancesMayStart
      ? "single"
      : "none";
  const writer = cfg.failover ? "recovery" : "primary";
  const aurora =
    cfg.database.engine === "aurora-postgresql"
      ? auroraDatabases(cfg, profile, settings)
      : undefined;
  if (recovery && aurora?.recovery) recovery.database = aurora.recovery;
  return {
    serving,
    primary: {
      fleet: primaryFleet,
      ...(aurora ? { database: aurora.primary } : primaryDatabases(cfg)),
      guarded: cfg.protectData,
      standby: false,
      // Not for a shrink to nothing: the provider would wait for the group's last desired capacity.
      waitForCapacity: primaryFleet.maxSize > 0,
    },
    recovery,
    primaryFenced: cfg.failover && cfg.dns !== undefined,
    recoveryNat,
    recoveryBackups:
      cfg.failover &&
      (!standbyTier ||
        cfg.failoverStep === "resize" ||
        cfg.database.engine === "aurora-postgresql"),
    weights,
    awaitsRecords: !cfg.failover,
    recoveryEndpoints: recovery && {
      writer,
      // Failing back, the recovery database is frozen (writes stopped before the promote step):
      // read it there, in-region, until the next step replaces it.
      reader: "recovery",
      servingRegion: serving,
    },
    alarms: {
      replica: standbyTier && !cfg.failover && cfg.failback === "none",
      successor: cfg.failback === "reseed" || cfg.failback === "freeze",
    },
    peering: profile.peering,
    gameDay: operations.gameDay && profile.operations.includes("gameDay"),
    regionSwitch:
      operations.regionSwitch &&
      cfg.dns !== undefined &&
      profile.operations.includes("regionSwitch"),
    auroraStandIn:
      cfg.database.engine === "aurora-postgresql" &&
      profile.aurora.secondary === "headless",
    reportsRecoveryFleet: standbyTier,
  };
}
