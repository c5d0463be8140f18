// The CrossGuard entry: `pulumi preview --policy-pack policy` (from the repo root, after
// `npm run build`). The Pulumi CLI does not run this file: it runs the bundle tools/build.mjs makes
// of it, policy/dist/index.js (package.json's "main"), with @aws-dr/contracts bundled in, since the
// CLI's runner resolves no workspace path alias (docs/policy.md).
import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";
import { policiesFor, stackFacts } from "./src/policies";

// The stack config the engine handed the pack for this update: the program's own (src/stack.ts).
new PolicyPack("aws-dr", {
  policies: policiesFor(stackFacts(pulumi.runtime.allConfig())),
  enforcementLevel: "mandatory",
});
