// `npm run policy -- --stack <env> [--config k=v ...]`: every aws-dr policy over the offline plan.
// Exit 0 when none is violated, 1 with the violations (policy, resource, message) on stdout when a
// mandatory one is, 2 for bad config or arguments (as `plan`).
import * as pulumi from "@pulumi/pulumi";
import { ProgramError, type Program } from "@aws-dr/offline-plan";
import {
  exitWith,
  HELP_LINE,
  runCommand,
  STACK_OPTION,
  type CliResult,
  type Parsed,
} from "./args";
import { loadBuiltProgram } from "./cli";
import { checkPolicies, evaluateStack } from "./policy-check";
import { UsageError } from "./stack-config";

export const POLICY_USAGE = `usage: npm run policy -- -s|--stack <env> [--config key=value ...]
  -s, --stack <env>    stack name: the policy pack over the offline plan of stacks/Pulumi.<env>.yaml
  --config             override a config value (JSON when it parses, else a string), e.g. dr:protectData=true
${HELP_LINE}`;

const POLICY_COMMAND = {
  usage: POLICY_USAGE,
  options: {
    ...STACK_OPTION,
    config: { type: "string", multiple: true, default: [] as string[] },
  },
} as const;

export function runPolicyCli(
  argv: string[],
  program: Program,
  /** How the stack is evaluated: the tests share evaluations across files. */
  evaluator: typeof evaluateStack = evaluateStack,
): Promise<CliResult> {
  return runCommand(argv, POLICY_COMMAND, ({ values }) =>
    policy(values, program, evaluator),
  );
}

async function policy(
  values: Parsed<typeof POLICY_COMMAND.options>["values"],
  program: Program,
  evaluator: typeof evaluateStack,
): Promise<CliResult> {
  try {
    if (!values.stack)
      throw new UsageError(`--stack is required\n${POLICY_USAGE}`);
    // The pack is told the config the program ran with, --config overrides included: production
    // is that config's dr:protectData, as for the program (policy/src/stack.ts).
    const { plan, config } = await evaluator(
      program,
      values.stack,
      values.config,
    );
    const violations = await checkPolicies(plan, config);
    const lines = violations.map(
      (v) =>
        `[${v.level}] ${v.policy}: ${v.message}${v.urn ? `\n    ${v.urn}` : ""}`,
    );
    // As the CLI runs a pack: an advisory violation is printed and fails nothing.
    const mandatory = violations.filter((v) => v.level === "mandatory").length;
    const advisory = violations.length - mandatory;
    return {
      code: mandatory > 0 ? 1 : 0,
      stdout:
        violations.length > 0
          ? `${lines.join("\n")}\n${mandatory} mandatory violation(s)${advisory > 0 ? `, ${advisory} advisory` : ""}`
          : `stack ${values.stack}: no policy violated`,
      stderr: "",
    };
  } catch (thrown) {
    const err = thrown instanceof ProgramError ? thrown.cause : thrown;
    if (err instanceof UsageError || err instanceof pulumi.RunError)
      return { code: 2, stdout: "", stderr: err.message };
    throw err;
  }
}

if (require.main === module) {
  void runPolicyCli(process.argv.slice(2), loadBuiltProgram()).then(exitWith);
}
