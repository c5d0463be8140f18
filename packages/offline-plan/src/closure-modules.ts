// @pulumi/pulumi loads TypeScript (a 9 MB script) and npm's Arborist as it starts, for one feature:
// turning a JavaScript function into a Lambda's code (closure serialization, e.g.
// pulumi.runtime.serializeFunction). No stack here serializes a function and an offline plan never
// would, yet loading them is ~550 ms of a ~1.3 s `npm run plan` and ~350 ms of every test file that
// loads the SDK. The offline tools (tools/build.mjs puts deferClosureModules first in each tool's
// bundle) and the tests (packages/testing/jest-setup.js) load them on first use instead, so closure serialization
// still works where something uses it. The program Pulumi runs (dist/stacks/index.js) is left as
// it is. This file imports nothing from the SDK: it must run before the SDK loads.
// closure-modules.test.ts fails, naming the module, when an SDK upgrade requires them differently.
import Module = require("node:module");
import * as path from "node:path";

/** The folder of the SDK's closure serializer, whose files require the modules below. */
export const CLOSURE_FOLDER = path.join(
  "@pulumi",
  "pulumi",
  "runtime",
  "closure",
);

/** What the closure serializer requires only for itself, spelled as its files spell the request. */
export const CLOSURE_MODULES = [
  "../../typescript-shim",
  "@npmcli/arborist",
  "normalize-package-data",
] as const;

type Exports = Record<PropertyKey, unknown>;

/**
 * A stand-in for a module that loads it on first use. It reports itself an ES module, so that
 * TypeScript's `__importStar` and `__importDefault` hand it out as it is rather than reading every
 * key at import time; `default` is then the CommonJS module itself, as `__importDefault` would make it.
 */
export function lazyModule(load: () => unknown): Exports {
  let loaded: Exports | undefined;
  const real = () => (loaded ??= load() as Exports);
  return new Proxy({} as Exports, {
    get: (_target, key) => {
      if (key === "__esModule") return true;
      if (key === "default" && !real().__esModule) return real();
      return Reflect.get(real(), key);
    },
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

type Load = (
  request: string,
  parent: { filename?: string } | undefined,
  isMain: boolean,
) => unknown;
const moduleLoader = Module as unknown as { _load: Load };
let deferred = false;

/**
 * Makes Node's require hand the closure serializer a lazyModule for each of CLOSURE_MODULES (once
 * per process). Other requires of the same modules, from anywhere else, are left alone.
 */
export function deferClosureModules(): void {
  if (deferred) return;
  deferred = true;
  const load = moduleLoader._load;
  const requests: ReadonlySet<string> = new Set(CLOSURE_MODULES);
  moduleLoader._load = function (request, parent, isMain) {
    if (
      requests.has(request) &&
      parent?.filename?.includes(`${path.sep}${CLOSURE_FOLDER}${path.sep}`)
    )
      return lazyModule(() => load.call(this, request, parent, isMain));
    return load.call(this, request, parent, isMain);
  };
}
