// Nx decides what `nx affected` runs and when a cached result may be replayed from each task's
// inputs. The workspace's lint and typecheck run once for the whole repo (the root package.json
// scripts), so their inputs must name every file ESLint and tsc check, in every project: else a
// lint error in a package passes as a cache hit and `nx affected` skips the check.
//
// The files each check reads are derived, not listed: ESLint's own answer for what the `lint`
// script lints, and the files tsconfig.json (the `typecheck` script's project) includes. Then Nx is
// asked, in one `nx affected --explain` over all of them, which tasks a change to each would run.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ESLint } from "eslint";
import { typecheckProject } from "./testing/typecheck-project";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const rootPackage = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"),
) as { scripts: Record<string, string>; workspaces: string[] };

// The files each script checks, as ESLint and TypeScript see them (paths from the repo root).
async function checkedFiles(): Promise<{
  lint: string[];
  typecheck: string[];
}> {
  const rel = (f: string) =>
    path.relative(REPO_ROOT, f).split(path.sep).join("/");
  const args = (script: string) => script.trim().split(/\s+/).slice(1);

  // eslint <paths>: every file under them that the config lints (neither ignored nor unmatched).
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const walk = (p: string): string[] => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return [];
    if (!stat.isDirectory()) return [p];
    return fs
      .readdirSync(p)
      .filter((n) => n !== "node_modules" && n !== ".git")
      .flatMap((n) => walk(path.join(p, n)));
  };
  const lint: string[] = [];
  for (const f of args(rootPackage.scripts.lint)
    .filter((a) => !a.startsWith("-"))
    .flatMap((a) => walk(path.resolve(REPO_ROOT, a)))) {
    if (
      !(await eslint.isPathIgnored(f)) &&
      (await eslint.calculateConfigForFile(f)) !== undefined
    )
      lint.push(rel(f));
  }

  // tsc -p <project>: the project's root files.
  return { lint, typecheck: typecheckProject().fileNames.map(rel) };
}

interface Reason {
  kind: string;
  file?: string;
}

const NX_ENV = {
  ...process.env,
  NX_DAEMON: "false",
  NX_NO_CLOUD: "true",
  NX_TUI: "false",
  // The project graph's plugins in nx's own process, not one worker process each (three node
  // starts that each load nx): the same graph, the same answer, half the CPU.
  NX_ISOLATE_PLUGINS: "false",
};

const run = (command: string, args: string[], input?: string) => {
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: NX_ENV,
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
};

let checked: { lint: string[]; typecheck: string[] };
// target ("lint", "typecheck") -> the files whose change makes one of its tasks run
let affectedBy: Map<string, Set<string>>;

beforeAll(async () => {
  checked = await checkedFiles();
  const files = [...new Set([...checked.lint, ...checked.typecheck])];
  const out = run(
    path.join(REPO_ROOT, "node_modules", ".bin", "nx"),
    ["affected", "-t", "lint", "typecheck", "--stdin", "--explain=stdout"],
    files.join("\n"),
  );
  const explained = JSON.parse(out.slice(out.indexOf("{"))) as {
    affected: Record<string, Reason[]>;
  };
  affectedBy = new Map();
  for (const [task, reasons] of Object.entries(explained.affected)) {
    const target = task.slice(task.lastIndexOf(":") + 1);
    const set = affectedBy.get(target) ?? new Set<string>();
    for (const r of reasons) {
      if (r.kind === "input-file" && r.file) set.add(r.file);
    }
    affectedBy.set(target, set);
  }
}, 120_000);

// Other people edit the tree while this runs: forget files gone since they were listed.
const missed = (target: "lint" | "typecheck") =>
  checked[target].filter(
    (f) =>
      !affectedBy.get(target)?.has(f) && fs.existsSync(path.join(REPO_ROOT, f)),
  );

test("a change to any file ESLint checks runs lint", () => {
  expect(missed("lint")).toEqual([]);
});

test("a change to any file tsc checks runs typecheck", () => {
  expect(missed("typecheck")).toEqual([]);
});

// Guards the two above against passing on an empty list: each workspace folder (packages/*,
// stacks, tools, policy, from the root package.json) has files that both checks read.
const workspaceFolders = rootPackage.workspaces.flatMap((w) =>
  w.endsWith("/*")
    ? fs
        .readdirSync(path.join(REPO_ROOT, w.slice(0, -2)), {
          withFileTypes: true,
        })
        .filter((d) =>
          fs.existsSync(
            path.join(REPO_ROOT, w.slice(0, -2), d.name, "package.json"),
          ),
        )
        .map((d) => `${w.slice(0, -2)}/${d.name}`)
    : [w],
);

test.each(workspaceFolders)("%s is linted and type-checked", (folder) => {
  const inFolder = (files: string[]) =>
    files.filter((f) => f.startsWith(`${folder}/`));
  expect(inFolder(checked.lint)).not.toEqual([]);
  expect(inFolder(checked.typecheck)).not.toEqual([]);
});

test("tools/src is among them", () => {
  expect(checked.lint.some((f) => f.startsWith("tools/src/"))).toBe(true);
  expect(checked.typecheck.some((f) => f.startsWith("tools/src/"))).toBe(true);
});
