// The CrossGuard entry: `pulumi preview --policy-pack policy` (from the repo root).
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./src/policies";

new PolicyPack("aws-dr", { policies: POLICIES, enforcementLevel: "mandatory" });
