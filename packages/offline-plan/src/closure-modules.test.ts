// Fails, naming the module, when an SDK upgrade changes how its closure serializer requires the
// modules the offline tools and tests defer (closure-modules.ts); and checks that a deferred module
// still works when something uses it.
import * as fs from "node:fs";
import Module = require("node:module");
import * as path from "node:path";
import {
  CLOSURE_FOLDER,
  CLOSURE_MODULES,
  deferClosureModules,
  lazyModule,
} from "./closure-modules";

const closureDir = path.join(
  path.dirname(require.resolve("@pulumi/pulumi")),
  "runtime",
  "closure",
);

describe("the SDK's closure serializer", () => {
  it(`sits in ${CLOSURE_FOLDER} and requires each deferred module as CLOSURE_MODULES spells it`, () => {
    expect(closureDir.endsWith(CLOSURE_FOLDER)).toBe(true);
    const sources = fs
      .readdirSync(closureDir)
      .filter((f) => f.endsWith(".js"))
      .map((f) => fs.readFileSync(path.join(closureDir, f), "utf8"))
      .join("\n");
    for (const request of CLOSURE_MODULES)
      expect([request, sources.includes(`require("${request}")`)]).toEqual([
        request,
        true,
      ]);
  });
});

describe("lazyModule", () => {
  it("loads the module on first use only, and reads as TypeScript's import helpers expect", () => {
    const load = jest.fn(() => ({ answer: 42 }));
    const lazy = lazyModule(load);
    expect(lazy.__esModule).toBe(true);
    expect(load).not.toHaveBeenCalled();
    expect(lazy.answer).toBe(42);
    expect(lazy.default).toEqual({ answer: 42 });
    expect(Object.keys(lazy)).toEqual(["answer"]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("hands out an ES module's own default", () => {
    const lazy = lazyModule(() => ({ __esModule: true, default: "d" }));
    expect(lazy.default).toBe("d");
  });
});

describe("deferClosureModules", () => {
  it("keeps TypeScript and Arborist out of Node's require until a closure is serialized, which then still works", async () => {
    deferClosureModules();
    // Done by the tests' setup (packages/testing/jest-setup.js) before any test file loads the
    // SDK; called again, it changes nothing. No test before this one serializes a closure.
    const nativeRequire = Module.createRequire(__filename);
    const loaded = () =>
      Object.keys(nativeRequire.cache).filter((f) =>
        /[\\/]node_modules[\\/](typescript|@npmcli[\\/]arborist|normalize-package-data)[\\/]/.test(
          f,
        ),
      );
    const pulumi = nativeRequire(
      "@pulumi/pulumi",
    ) as typeof import("@pulumi/pulumi");
    expect(loaded()).toEqual([]);
    const closure = await pulumi.runtime.serializeFunction(() => 6 * 7);
    expect(closure.text).toContain("6 * 7");
    expect(loaded().some((f) => f.includes("typescript"))).toBe(true);
  });
});
