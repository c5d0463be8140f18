// `npm run assess -- --stack <env> [--config k=v ...] [--json] [--out FILE]`: the recovery model's RPO and RTO
// for each of the four tiers with the stack's settings, checked against dr:targets. Exit 0 when the
// configured tier meets its targets, 1 naming the part that breaks one, 2 for bad input.
import * as pulumi from "@pulumi/pulumi";
import {
  assessTiers,
  ConfigError,
  describeMiss,
  estimateIsolatedRecovery,
  modelInputs,
  NAMESPACE,
  parseConfig,
  type Estimate,
} from "@aws-dr/model";
import { STACK_SCHEMA } from "@aws-dr/stacks/settings";
import type { Program } from "@aws-dr/offline-plan";
import {
  DEFAULT_USAGE,
  monthlyCost,
  newestPriceTable,
  PRICES_DIR,
  type CostEstimate,
} from "./costs";
import {
  exitWith,
  HELP_LINE,
  OUT_LINE,
  OUT_OPTION,
  runCommand,
  STACK_OPTION,
  type CliResult,
} from "./args";
import { loadBuiltProgram } from "./cli";
import { evaluate } from "./evaluate";
import {
  applyOverrides,
  readStack,
  secretKeysAfter,
  UsageError,
} from "./stack-config";

export const ASSESS_USAGE = `usage: npm run assess -- -s|--stack <env> [--config key=value ...] [--json] [--out <file>]
  -s, --stack <env>    stack name: the recovery model over stacks/Pulumi.<env>.yaml (no AWS, no CLI)
  --config             override a config value (JSON when it parses, else a string), e.g. dr:targets.rtoMinutes=5
  --json               print one JSON document instead of the table and the estimates' parts
${OUT_LINE}
${HELP_LINE}`;

const ASSESS_COMMAND = {
  usage: ASSESS_USAGE,
  options: {
    ...STACK_OPTION,
    config: { type: "string", multiple: true, default: [] as string[] },
    json: { type: "boolean", default: false },
    ...OUT_OPTION,
  },
} as const;

/** The stack's validated config, targets unchecked: assessing them is the point. */
export function assessedConfig(
  stack: string,
  overrides: string[],
  root?: string,
) {
  const file = readStack(stack, root);
  const config = applyOverrides(file.config, overrides);
  const raw = Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(`${NAMESPACE}:`))
      .map(([key, value]) => [key.slice(NAMESPACE.length + 1), value]),
  );
  const secretKeys = secretKeysAfter(file.secretKeys, overrides).map((k) =>
    k.slice(NAMESPACE.length + 1),
  );
  return parseConfig(raw, STACK_SCHEMA, { secretKeys, checkTargets: false });
}

/** Where assess finds its price table; tests point it elsewhere. */
export interface AssessOptions {
  pricesDir?: string;
  root?: string;
  /** How each tier's plan is evaluated: the tests share evaluations across files. */
  evaluator?: typeof evaluate;
}

/**
 * The assessment of a stack: every tier's estimates and misses, each tier's monthly cost from the
 * newest price table (when there is one), and the configured tier's verdict.
 */
export async function assess(
  program: Program,
  stack: string,
  overrides: string[],
  { pricesDir = PRICES_DIR, root, evaluator = evaluate }: AssessOptions = {},
) {
  const cfg = assessedConfig(stack, overrides, root);
  const { profiles } = STACK_SCHEMA;
  const tiers = assessTiers(profiles, modelInputs(cfg, profiles), cfg.targets);
  const configured = tiers.find((t) => t.tier === cfg.tier);
  const table = newestPriceTable(pricesDir);
  const costs: Partial<Record<string, CostEstimate>> = {};
  if (table)
    for (const { tier } of tiers) {
      // Each tier as it runs normally; targets out of the way, since assessing them is the point.
      const plan = await evaluator(
        program,
        stack,
        [
          ...overrides,
          `dr:tier=${tier}`,
          "dr:failover=false",
          "dr:failback=none",
          "dr:targets.rtoMinutes=1000000",
          "dr:targets.rpoMinutes=1000000",
        ],
        root,
      );
      costs[tier] = monthlyCost(plan, table, DEFAULT_USAGE, {
        databaseGb: cfg.database.allocatedStorageGb,
      });
    }
  return {
    stack,
    tier: cfg.tier,
    targets: cfg.targets,
    tiers: tiers.map((t) => ({ ...t, monthlyUsd: costs[t.tier] })),
    // Not a regional outage: this account lost, recovered from the isolated copy (any tier).
    accountCompromise: estimateIsolatedRecovery(cfg) ?? null,
    prices: table ? { date: table.date, source: table.source } : undefined,
    usage: DEFAULT_USAGE,
    problems: (configured?.misses ?? []).map(
      (miss) =>
        `${NAMESPACE}:targets.${miss.target} = ${miss.targetMinutes}: ${describeMiss(cfg.tier, miss)}`,
    ),
  };
}

type Assessment = Awaited<ReturnType<typeof assess>>;

/** "20.5 = 1.5 detection + 3 failover pulumi up + ..." with each part's basis below. */
function renderEstimate(label: string, estimate: Estimate): string[] {
  return [
    `  ${label} ${estimate.minutes} min = ${estimate.formula}`,
    ...estimate.parts.map(
      (p) => `      ${p.name}: ${p.minutes} min (${p.basis})`,
    ),
    ...(estimate.then
      ? [
          `      ${estimate.then.name}: +${estimate.then.minutes} min after service is back, not counted (${estimate.then.basis})`,
        ]
      : []),
  ];
}

export function renderAssessment(result: Assessment): string {
  const { targets } = result;
  const lines = [
    `stack ${result.stack}: dr:tier ${result.tier}; targets RTO ${targets.rtoMinutes} min, RPO ${targets.rpoMinutes} min`,
    "",
    ["tier", "RPO min", "RTO min", "meets targets", "USD per month"].join(
      " | ",
    ),
    ...result.tiers.map((t) =>
      [
        t.tier === result.tier ? `${t.tier} (configured)` : t.tier,
        t.rpo.minutes,
        t.rto.minutes,
        t.misses.length === 0
          ? "yes"
          : `no: ${t.misses.map((m) => m.culprit.name).join(", ")}`,
        t.monthlyUsd ? t.monthlyUsd.total.toFixed(2) : "-",
      ].join(" | "),
    ),
    "",
    result.prices
      ? `Prices of ${result.prices.date} (${result.prices.source}); On-Demand, always-on capacity (each fleet at minSize) plus storage and transfer for ${result.usage.s3DataGb} GB of objects, ${result.usage.s3ChangedGbPerMonth} GB of them changed and ${result.usage.dbChangedGbPerMonth} GB of database changes a month.`
      : `No price table in tools/prices: \`npm run prices\` reads AWS's Price List (with your AWS credentials) into tools/prices/<date>.json.`,
  ];
  lines.push(
    "",
    "Account compromise (this account lost, not a region; every tier alike):",
    ["recovery from", "RPO min", "RTO min"].join(" | "),
    result.accountCompromise
      ? [
          "isolated copy (air-gapped vault)",
          result.accountCompromise.rpo.minutes,
          result.accountCompromise.rto.minutes,
        ].join(" | ")
      : "no isolated copy (dr:backup.isolatedCopy unset) | - | -: the account's administrator can delete every copy",
  );
  for (const t of result.tiers) {
    const unpriced = t.monthlyUsd?.unpriced ?? [];
    if (unpriced.length > 0)
      lines.push(
        `${t.tier}: not in the price table, left out: ${unpriced.join(", ")}`,
      );
  }
  for (const t of result.tiers)
    lines.push(
      "",
      `${t.tier}:`,
      ...renderEstimate("RPO", t.rpo),
      ...renderEstimate("RTO", t.rto),
    );
  if (result.accountCompromise)
    lines.push(
      "",
      "account compromise, from the isolated copy:",
      ...renderEstimate("RPO", result.accountCompromise.rpo),
      ...renderEstimate("RTO", result.accountCompromise.rto),
    );
  return lines.join("\n");
}

/** The command: exit code, stdout and stderr; never throws for bad input. */
export function runAssess(
  argv: string[],
  program: Program,
  options: AssessOptions = {},
): Promise<CliResult> {
  return runCommand(argv, ASSESS_COMMAND, async ({ values }) => {
    try {
      if (!values.stack)
        throw new UsageError(`--stack is required\n${ASSESS_USAGE}`);
      const result = await assess(
        program,
        values.stack,
        values.config,
        options,
      );
      return {
        code: result.problems.length > 0 ? 1 : 0,
        stdout: values.json
          ? JSON.stringify(result, null, 2)
          : renderAssessment(result),
        stderr: result.problems.join("\n"),
      };
    } catch (err) {
      if (
        err instanceof UsageError ||
        err instanceof ConfigError ||
        err instanceof pulumi.RunError
      )
        return { code: 2, stdout: "", stderr: err.message };
      throw err;
    }
  });
}

if (require.main === module) {
  void runAssess(process.argv.slice(2), loadBuiltProgram()).then(exitWith);
}
