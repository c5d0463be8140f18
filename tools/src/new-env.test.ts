import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import program = require("@aws-dr/stacks");
import { TIERS } from "@aws-dr/model";
import { evaluate } from "./testing/cached-evaluate";
import { addEnvironment, runNewEnv } from "./new-env";
import { REPO_ROOT, stackNames, UsageError } from "./stack-config";

/** A scratch repository root with the stacks project's package.json, so the real one stays as is. */
function scratchRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "new-env-"));
  fs.mkdirSync(path.join(root, "stacks"));
  fs.copyFileSync(
    path.join(REPO_ROOT, "stacks", "package.json"),
    path.join(root, "stacks", "package.json"),
  );
  return root;
}

describe("new-env", () => {
  it.each(TIERS)(
    "adds an environment from the %s template that plans cleanly at that tier, with its Nx targets",
    async (tier) => {
      const root = scratchRoot();
      addEnvironment("qa", tier, root);
      const plan = await evaluate(program, "qa", [], root);
      expect([plan.stack, plan.tier, plan.failover]).toEqual([
        "qa",
        tier,
        false,
      ]);
      expect(plan.resources.length).toBeGreaterThan(100);
      const pkg = JSON.parse(
        fs.readFileSync(path.join(root, "stacks", "package.json"), "utf8"),
      ) as {
        nx: {
          targets: Record<string, { configurations: Record<string, unknown> }>;
        };
      };
      expect({
        plan: pkg.nx.targets.plan.configurations.qa,
        preview: pkg.nx.targets.preview.configurations.qa,
        up: pkg.nx.targets.up.configurations.qa,
      }).toEqual({
        plan: { args: "--stack qa" },
        preview: { args: "-s qa" },
        up: { args: "-s qa" },
      });
    },
  );

  it("gives every shipped environment plan, preview and up targets", () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, "stacks", "package.json"), "utf8"),
    ) as {
      nx: {
        targets: Record<string, { configurations: Record<string, unknown> }>;
      };
    };
    for (const target of ["plan", "preview", "up"])
      expect(Object.keys(pkg.nx.targets[target].configurations).sort()).toEqual(
        stackNames(),
      );
  });

  it.each([
    ["Prod", "warm-standby", '--name "Prod": must be 1-20 lowercase'],
    ["qa", "gold", '--tier "gold": must be one of backup-restore'],
    ["prod", "warm-standby", "stacks/Pulumi.prod.yaml exists already"],
  ])("refuses name %s at tier %s, writing nothing", (name, tier, message) => {
    const root = scratchRoot();
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.prod.yaml"),
      "config: {}\n",
    );
    const before = fs.readdirSync(path.join(root, "stacks")).sort();
    expect(() => addEnvironment(name, tier, root)).toThrow(UsageError);
    expect(() => addEnvironment(name, tier, root)).toThrow(message);
    expect(fs.readdirSync(path.join(root, "stacks")).sort()).toEqual(before);
  });

  it("exits 2 with the usage when an option is missing", () => {
    expect(runNewEnv(["--name", "qa"])).toEqual({
      code: 2,
      message: expect.stringContaining("--name and --tier are required"),
    });
  });
});
