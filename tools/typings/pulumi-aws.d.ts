// What `npm run typecheck` (tsconfig.json's paths) reads for an import of @pulumi/aws's root: only
// the services @pulumi/awsx's VPC typings name (@pulumi/awsx/ec2 and the awsx types it imports).
// The root's typings import every one of @pulumi/aws's ~250 services: 2,000 more declaration files
// and 340K more lines for tsc to parse and bind, about a fifth of the type check, for typings
// that nothing here reads. Our own code imports the services (an ESLint rule refuses the root),
// so only awsx's typings come here; tools/src/typecheck-config.test.ts fails, naming the service,
// when an awsx upgrade names one this does not export.
export * as ec2 from "@pulumi/aws/ec2";
export * as lb from "@pulumi/aws/lb";
export * as types from "@pulumi/aws/types";
