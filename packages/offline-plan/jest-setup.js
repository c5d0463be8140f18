// Every test file: the SDK's closure serializer gets its TypeScript and npm modules on first use
// (src/closure-modules.ts says why), as the offline tools do. Jest's module registry bypasses
// Node's require, so the same stand-ins are registered as jest mocks of those files.
const path = require("node:path");
const {
  CLOSURE_FOLDER,
  CLOSURE_MODULES,
  lazyModule,
} = require("./src/closure-modules.ts");

const closureDir = path.join(
  path.dirname(require.resolve("@pulumi/pulumi")),
  "runtime",
  "closure",
);
if (!closureDir.endsWith(CLOSURE_FOLDER))
  throw new Error(
    `@pulumi/pulumi's closure serializer is not in ${CLOSURE_FOLDER}`,
  );
for (const request of CLOSURE_MODULES) {
  const file = require.resolve(
    request.startsWith(".") ? path.resolve(closureDir, request) : request,
    { paths: [closureDir] },
  );
  jest.mock(file, () => lazyModule(() => jest.requireActual(file)));
}
