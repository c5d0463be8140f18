// The state bootstrap (tools/state): state and secrets usable from either region.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ProgramError, runProgram, type PlanRecorder } from "@aws-dr/testing";
import stateProgram = require("../state/index");
import { REPO_ROOT } from "./stack-config";

const shipped = (
  parse(
    fs.readFileSync(
      path.join(REPO_ROOT, "tools", "state", "Pulumi.shared.yaml"),
      "utf8",
    ),
  ) as { config: Record<string, unknown> }
).config;

let rec: PlanRecorder;
let outputs: Record<string, unknown>;
beforeAll(async () => {
  ({ recorder: rec, outputs } = await runProgram(
    stateProgram,
    "aws-dr-state",
    "shared",
    shipped,
  ));
});

describe("the state bootstrap", () => {
  it("makes one multi-Region secrets key per environment, its replica in the recovery region, alias/aws-dr-<env>-secrets in both", () => {
    for (const env of ["dev", "staging", "prod"]) {
      const key = rec.one("aws:kms/key:Key", `${env}-secrets-key`);
      expect(key.region).toBe("us-east-1");
      expect(key.inputs).toMatchObject({
        multiRegion: true,
        enableKeyRotation: true,
      });
      const replica = rec.one(
        "aws:kms/replicaKey:ReplicaKey",
        `${env}-secrets-key-replica`,
      );
      expect(replica.region).toBe("us-west-2");
      expect(replica.inputs.primaryKeyArn).toBe(
        `arn:aws:kms:us-east-1:123456789012:key/${env}-secrets-key`,
      );
      expect([key.protect, replica.protect, replica.retainOnDelete]).toEqual([
        true,
        true,
        true,
      ]);
      expect(
        rec
          .ofType("aws:kms/alias:Alias")
          .filter((a) => a.inputs.name === `alias/aws-dr-${env}-secrets`)
          .map((a) => [a.region, a.inputs.targetKeyId]),
      ).toEqual([
        [
          "us-east-1",
          `arn:aws:kms:us-east-1:123456789012:key/${env}-secrets-key`,
        ],
        [
          "us-west-2",
          `arn:aws:kms:us-west-2:123456789012:replicakey/${env}-secrets-key-replica`,
        ],
      ]);
    }
    expect(
      rec.ofType("aws:kms/key:Key").filter((k) => k.inputs.multiRegion),
    ).toHaveLength(3);
  });

  it("keeps state in a versioned, KMS-encrypted, TLS-only, private bucket replicated to the recovery region", () => {
    for (const [name, region] of [
      ["state", "us-east-1"],
      ["state-replica", "us-west-2"],
      ["state-failover", "us-west-2"],
    ]) {
      const of = (type: string, suffix: string) =>
        rec.ofType(type).find((r) => r.name === `${name}${suffix}`);
      expect(of("aws:s3/bucket:Bucket", "")?.region).toBe(region);
      expect(of("aws:s3/bucket:Bucket", "")?.protect).toBe(true);
      expect(
        of("aws:s3/bucketVersioning:BucketVersioning", "-versioning")?.inputs
          .versioningConfiguration,
      ).toEqual({ status: "Enabled" });
      expect(
        of(
          "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
          "-public-access",
        )?.inputs,
      ).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const sse = JSON.stringify(
        of(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "-sse",
        )?.inputs,
      );
      expect(sse).toContain('"sseAlgorithm":"aws:kms"');
      expect(
        JSON.stringify(
          of("aws:s3/bucketPolicy:BucketPolicy", "-tls-only")?.inputs.policy,
        ),
      ).toContain("aws:SecureTransport");
    }
    const replication = rec.one(
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      "state-replication",
    );
    expect(replication.region).toBe("us-east-1");
    expect(JSON.stringify(replication.inputs.rules)).toContain(
      '"bucket":"arn:aws:s3:::state-replica"',
    );
  });

  it("replicates one way only, primary -> recovery: nothing replicates into the failover bucket, so objects the primary had queued when it went down never land on failover-time state", () => {
    const rules = rec.ofType(
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    );
    expect(rules.map((r) => [r.name, r.region, r.inputs.bucket])).toEqual([
      ["state-replication", "us-east-1", "state-id"],
    ]);
    expect(JSON.stringify(rules[0].inputs.rules)).not.toContain(
      "state-failover",
    );
  });

  it("prints the primary and recovery login URLs, the replica's, and per environment a secrets provider without a region (AWS_REGION picks the key), its alias and the role ARNs", () => {
    expect(outputs).toMatchObject({
      loginUrl: "s3://state?region=us-east-1",
      recoveryLoginUrl: "s3://state-failover?region=us-west-2",
      replicaLoginUrl: "s3://state-replica?region=us-west-2",
      primaryRegion: "us-east-1",
      recoveryRegion: "us-west-2",
    });
    for (const env of ["dev", "staging", "prod"]) {
      expect(
        [
          "secretsProviders",
          "secretsKeyAliases",
          "previewRoleArns",
          "deployRoleArns",
          "permissionsBoundaryArns",
        ].map((o) => (outputs[o] as Record<string, string>)[env]),
      ).toEqual([
        `awskms://alias/aws-dr-${env}-secrets`,
        `alias/aws-dr-${env}-secrets`,
        `arn:aws:iam::123456789012:role/${env}-preview`,
        `arn:aws:iam::123456789012:role/${env}-deploy`,
        `arn:aws:iam::123456789012:policy/aws-dr-${env}-boundary`,
      ]);
    }
    expect(JSON.stringify(outputs.secretsProviders)).not.toContain("region=");
    expect(outputs).not.toHaveProperty("secretsProvider");
  });

  describe("the GitHub roles, per environment", () => {
    const policyOf = (name: string) =>
      rec.one("aws:iam/rolePolicy:RolePolicy", name).inputs.policy as {
        Statement: {
          Sid?: string;
          Effect: string;
          Action: string | string[];
          Resource: string | string[];
        }[];
      };
    const trustOf = (name: string) =>
      (
        rec.one("aws:iam/role:Role", name).inputs.assumeRolePolicy as {
          Statement: {
            Principal: { Federated: string };
            Action: string;
            Condition: { StringEquals: Record<string, unknown> };
          }[];
        }
      ).Statement;
    const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

    it("trust GitHub's OIDC tokens of this repository only: deploy from the environment of the stack's name, preview from pull requests outside prod and from prod-preview (required reviewers) in prod", () => {
      const subjects = (name: string) =>
        trustOf(name).map((s) => [
          s.Principal.Federated,
          s.Action,
          s.Condition.StringEquals,
        ]);
      const oidc = "arn:aws:iam::123456789012:role/github-oidc"; // the mock's ARN of the provider it creates
      const expected = (sub: string) => [
        [
          oidc,
          "sts:AssumeRoleWithWebIdentity",
          {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": [sub],
          },
        ],
      ];
      expect(
        rec.one(
          "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
          "github-oidc",
        ).inputs,
      ).toMatchObject({
        url: "https://token.actions.githubusercontent.com",
        clientIdLists: ["sts.amazonaws.com"],
      });
      for (const env of ["dev", "staging", "prod"])
        expect(subjects(`${env}-deploy`)).toEqual(
          expected(`repo:example-org/aws-dr:environment:${env}`),
        );
      expect(subjects("dev-preview")).toEqual(
        expected("repo:example-org/aws-dr:pull_request"),
      );
      expect(subjects("staging-preview")).toEqual(
        expected("repo:example-org/aws-dr:pull_request"),
      );
      expect(subjects("prod-preview")).toEqual(
        expected("repo:example-org/aws-dr:environment:prod-preview"),
      );
      expect(
        rec
          .ofType("aws:iam/role:Role")
          .map((r) => r.inputs.name)
          .sort(),
      ).toEqual(
        ["dev", "prod", "staging"]
          .flatMap((e) => [`aws-dr-${e}-deploy`, `aws-dr-${e}-preview`])
          .sort()
          .concat([])
          .sort(),
      );
    });

    it("grant no * action on * resource, and no Allow on * at all in their own policies (the boundaries: below)", () => {
      for (const policy of [
        ...rec.ofType("aws:iam/rolePolicy:RolePolicy"),
        ...rec
          .ofType("aws:iam/policy:Policy")
          .filter((p) => p.name.endsWith("-deploy-iam")),
      ])
        for (const statement of (
          policy.inputs.policy as ReturnType<typeof policyOf>
        ).Statement) {
          const actions = list(statement.Action);
          const resources = list(statement.Resource);
          expect([
            policy.name,
            statement.Sid,
            actions.includes("*") && resources.includes("*"),
          ]).toEqual([policy.name, statement.Sid, false]);
          if (statement.Effect === "Allow")
            expect([
              policy.name,
              statement.Sid,
              resources.includes("*"),
            ]).toEqual([policy.name, statement.Sid, false]);
        }
    });

    it("preview: AWS read-only, its own stack's state, and decrypt of its own environment's key only", () => {
      const attached = (name: string) =>
        rec
          .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((a) => a.name.startsWith(name))
          .map((a) => a.inputs.policyArn);
      expect(attached("prod-preview")).toEqual([
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
      ]);
      const statements = policyOf("prod-preview-state").Statement;
      const allowed = statements.filter((s) => s.Effect === "Allow");
      const writes = allowed.filter((s) =>
        list(s.Action).some((a) => /Put|Delete|Encrypt|Create/.test(a)),
      );
      // The one write: its own stack's lock objects (the CLI may lock a preview).
      expect(writes.map((s) => [s.Sid, s.Resource])).toEqual([
        [
          "LockOwnStack",
          ["arn:aws:s3:::state/.pulumi/locks/organization/aws-dr/prod/*"],
        ],
      ]);
      expect(allowed.find((s) => s.Sid === "DecryptOwnSecrets")).toMatchObject({
        Action: ["kms:Decrypt"],
        Resource: [
          "arn:aws:kms:us-east-1:123456789012:key/prod-secrets-key",
          "arn:aws:kms:us-west-2:123456789012:replicakey/prod-secrets-key-replica",
        ],
      });
      const read = list(
        allowed.find((s) => s.Sid === "ReadOwnStackState")?.Resource ?? [],
      );
      expect(read).toContain(
        "arn:aws:s3:::state/.pulumi/stacks/aws-dr/prod.json*",
      );
      expect(read.join(" ")).not.toMatch(/aws-dr\/(dev|staging)/);
    });

    it("deploy: broad AWS rights (PowerUserAccess, IAM on roles and instance profiles), fenced off the other environments' state and keys, the replica and the state's own settings", () => {
      expect(
        rec
          .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((a) => a.name.startsWith("prod-deploy"))
          .map((a) => a.inputs.policyArn),
      ).toEqual([
        "arn:aws:iam::aws:policy/PowerUserAccess",
        // the mock's ARN of the deploy role's IAM policy
        "arn:aws:iam::123456789012:role/prod-deploy-iam",
      ]);
      expect(
        rec.one("aws:iam/policy:Policy", "prod-deploy-iam").inputs.name,
      ).toBe("aws-dr-prod-deploy-iam");
      const statements = deployStatements("prod");
      const sid = (id: string) => statements.find((s) => s.Sid === id);
      expect(sid("OwnSecrets")?.Resource).toEqual([
        "arn:aws:kms:us-east-1:123456789012:key/prod-secrets-key",
        "arn:aws:kms:us-west-2:123456789012:replicakey/prod-secrets-key-replica",
      ]);
      expect(sid("NoOtherEnvironmentsSecrets")).toMatchObject({
        Effect: "Deny",
        Resource: [
          "arn:aws:kms:us-east-1:123456789012:key/dev-secrets-key",
          "arn:aws:kms:us-west-2:123456789012:replicakey/dev-secrets-key-replica",
          "arn:aws:kms:us-east-1:123456789012:key/staging-secrets-key",
          "arn:aws:kms:us-west-2:123456789012:replicakey/staging-secrets-key-replica",
        ],
      });
      const denied = list(sid("NoOtherStacksState")?.Resource ?? []);
      expect(denied).toContain(
        "arn:aws:s3:::state/.pulumi/stacks/aws-dr/dev.json*",
      );
      expect(denied).toContain(
        "arn:aws:s3:::state-failover/.pulumi/stacks/aws-dr/staging.json*",
      );
      expect(denied).toContain(
        "arn:aws:s3:::state/.pulumi/stacks/aws-dr-state/*.json*",
      );
      expect(denied.join(" ")).not.toContain("aws-dr/prod");
      expect(sid("NoWritesToTheReplica")).toMatchObject({
        Effect: "Deny",
        Resource: ["arn:aws:s3:::state-replica/*"],
      });
      expect(list(sid("ReadWriteOwnStackState")?.Resource ?? [])).toEqual(
        expect.arrayContaining([
          "arn:aws:s3:::state/.pulumi/stacks/aws-dr/prod.json*",
          "arn:aws:s3:::state-failover/.pulumi/stacks/aws-dr/prod.json*",
          "arn:aws:s3:::state-failover/.pulumi/locks/organization/aws-dr/prod/*",
        ]),
      );
      expect(list(sid("StackIamResources")?.Resource ?? [])).toEqual([
        "arn:aws:iam::123456789012:role/*",
        "arn:aws:iam::123456789012:instance-profile/*",
        "arn:aws:iam::aws:policy/*",
      ]);
      expect(sid("NoChangesToTheCiRoles")?.Effect).toBe("Deny");
    });

    const boundaryArn = (env: string) =>
      `arn:aws:iam::123456789012:policy/aws-dr-${env}-boundary`;
    type Statement = ReturnType<typeof policyOf>["Statement"][number] & {
      Condition?: Record<string, Record<string, unknown>>;
    };
    // The deploy role's statements: its inline policy and its IAM policy (a managed one).
    const deployStatements = (env: string) =>
      [
        ...policyOf(`${env}-deploy-state`).Statement,
        ...(
          rec.one("aws:iam/policy:Policy", `${env}-deploy-iam`).inputs
            .policy as ReturnType<typeof policyOf>
        ).Statement,
      ] as Statement[];

    it("deploy: creates, changes and attaches policies to roles only with its environment's boundary, and nothing else of IAM's writes takes a policy", () => {
      for (const env of ["dev", "staging", "prod"]) {
        const statements = deployStatements(env);
        const conditioned = statements.find(
          (s) => s.Sid === "RolesOnlyWithTheBoundary",
        );
        expect(conditioned).toEqual({
          Sid: "RolesOnlyWithTheBoundary",
          Effect: "Allow",
          Action: [
            "iam:CreateRole",
            "iam:PutRolePermissionsBoundary",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
          ],
          Resource: ["arn:aws:iam::123456789012:role/*"],
          Condition: {
            StringEquals: { "iam:PermissionsBoundary": boundaryArn(env) },
          },
        });
        // No other Allow grants those actions (or a wildcard covering them) without the condition.
        for (const s of statements.filter(
          (s) => s.Effect === "Allow" && s !== conditioned,
        ))
          for (const action of list(s.Action))
            expect([s.Sid, action]).not.toEqual([
              s.Sid,
              expect.stringMatching(
                /^iam:(\*|Create\*?|CreateRole|Put.*|Attach.*|Detach.*|DeleteRolePolicy|CreatePolicy.*|SetDefaultPolicyVersion)$/,
              ),
            ]);
      }
    });

    it("deploy: never removes a boundary, never changes a boundary policy, never attaches AdministratorAccess, IAMFullAccess or PowerUserAccess, never touches the bootstrap's IAM resources, never assumes a role", () => {
      const statements = deployStatements("dev");
      const sid = (id: string) => statements.find((s) => s.Sid === id);
      expect(sid("KeepTheBoundaries")).toEqual({
        Sid: "KeepTheBoundaries",
        Effect: "Deny",
        Action: ["iam:DeleteRolePermissionsBoundary"],
        Resource: ["arn:aws:iam::123456789012:role/*"],
      });
      expect(sid("NoChangesToTheBoundaryPolicies")).toMatchObject({
        Effect: "Deny",
        Action: expect.arrayContaining([
          "iam:CreatePolicyVersion",
          "iam:SetDefaultPolicyVersion",
          "iam:DeletePolicy",
          "iam:DeletePolicyVersion",
        ]),
        Resource: ["dev", "staging", "prod"].map(boundaryArn),
      });
      expect(sid("NoPowerfulManagedPolicies")).toMatchObject({
        Effect: "Deny",
        Action: ["iam:AttachRolePolicy"],
        Condition: {
          ArnEquals: {
            "iam:PolicyARN": [
              "arn:aws:iam::aws:policy/AdministratorAccess",
              "arn:aws:iam::aws:policy/IAMFullAccess",
              "arn:aws:iam::aws:policy/PowerUserAccess",
            ],
          },
        },
      });
      expect(sid("NoBootstrapIamResources")).toMatchObject({
        Effect: "Deny",
        Action: ["iam:*"],
        Condition: {
          StringEquals: { "aws:ResourceTag/aws-dr:purpose": "pulumi-state" },
        },
      });
      expect(sid("NoRoleChaining")).toMatchObject({
        Effect: "Deny",
        Action: ["sts:AssumeRole"],
        Resource: "*",
      });
      expect(list(sid("NoOtherEnvironmentsSecrets")?.Action ?? [])).toContain(
        "kms:CreateGrant",
      );
    });

    it("both roles: deny what carries another environment's environment tag, and creating or tagging anything with it (IAM and STS included)", () => {
      for (const [name, env] of [
        ["dev-deploy-state", "dev"],
        ["prod-deploy-state", "prod"],
        ["staging-preview-state", "staging"],
      ]) {
        const others = ["dev", "staging", "prod"].filter((e) => e !== env);
        const statements = policyOf(name).Statement as Statement[];
        const resourceTag = statements.find(
          (s) => s.Sid === "NoOtherEnvironmentsResources",
        );
        const requestTag = statements.find(
          (s) => s.Sid === "NoResourcesTaggedForOtherEnvironments",
        );
        expect(resourceTag).toMatchObject({
          Effect: "Deny",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:ResourceTag/environment": others },
          },
        });
        expect(requestTag).toMatchObject({
          Effect: "Deny",
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestTag/environment": others } },
        });
        for (const s of [resourceTag, requestTag])
          expect(list(s?.Action ?? [])).toEqual(
            expect.arrayContaining([
              "ec2:*",
              "rds:*",
              "dynamodb:*",
              "logs:*",
              "kms:*",
              "ssm:*",
              "iam:*",
              "sts:*",
              // The air-gapped vaults' shares.
              "ram:*",
            ]),
          );
      }
    });

    it("fit IAM's size limit of a role's inline policies (10,240 characters without whitespace), with room for longer real ARNs", () => {
      for (const policy of rec.ofType("aws:iam/rolePolicy:RolePolicy"))
        expect([
          policy.name,
          JSON.stringify(policy.inputs.policy).length < 8000,
        ]).toEqual([policy.name, true]);
    });

    it("use the account's OIDC provider when state:oidcProviderArn names it, and create none", async () => {
      const arn =
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
      const { recorder } = await runProgram(
        stateProgram,
        "aws-dr-state",
        "shared",
        { ...shipped, "state:oidcProviderArn": arn },
      );
      expect(
        recorder.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"),
      ).toHaveLength(0);
      const trust = recorder.one("aws:iam/role:Role", "prod-deploy").inputs
        .assumeRolePolicy as { Statement: { Principal: unknown }[] };
      expect(trust.Statement[0].Principal).toEqual({ Federated: arn });
    });
  });

  describe("the permissions boundary, per environment (aws-dr-<env>-boundary)", () => {
    type Statement = {
      Sid?: string;
      Effect: string;
      Action: string | string[];
      Resource: string | string[];
      Condition?: Record<string, Record<string, unknown>>;
    };
    const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
    const boundary = (env: string) =>
      rec.one("aws:iam/policy:Policy", `${env}-boundary`);
    const statements = (env: string) =>
      (boundary(env).inputs.policy as { Statement: Statement[] }).Statement;

    it("is a managed policy named aws-dr-<env>-boundary, made with the recovery provider (IAM is global), whose ARN the bootstrap prints per environment", () => {
      for (const env of ["dev", "staging", "prod"]) {
        expect(boundary(env).inputs.name).toBe(`aws-dr-${env}-boundary`);
        expect(boundary(env).region).toBe("us-west-2");
        expect(
          (outputs.permissionsBoundaryArns as Record<string, string>)[env],
        ).toBe(`arn:aws:iam::123456789012:policy/aws-dr-${env}-boundary`);
      }
      expect(
        rec
          .ofType("aws:iam/policy:Policy")
          .map((p) => p.name)
          .filter((n) => n.endsWith("-boundary")),
      ).toHaveLength(3);
    });

    it("allows the program's services and iam:PassRole only: no IAM change, no sts, no * action anywhere, and no * resource but in the service-scoped allow and the denies", () => {
      for (const env of ["dev", "staging", "prod"]) {
        const all = statements(env);
        for (const s of all) {
          expect([s.Sid, list(s.Action).includes("*")]).toEqual([s.Sid, false]);
        }
        const allowed = all.filter((s) => s.Effect === "Allow");
        expect(allowed.map((s) => s.Sid)).toEqual(["TheProgramsServices"]);
        const actions = list(allowed[0].Action);
        expect(actions).toEqual(
          expect.arrayContaining([
            "ec2:*",
            "rds:*",
            "backup:*",
            "iam:PassRole",
          ]),
        );
        expect(
          actions.filter((a) => /^(iam|sts|organizations|account):/.test(a)),
        ).toEqual(["iam:PassRole"]);
        expect(all.find((s) => s.Sid === "NoIamChanges")).toMatchObject({
          Effect: "Deny",
          Action: expect.arrayContaining([
            "iam:Create*",
            "iam:Put*",
            "iam:Attach*",
            "iam:Delete*",
            "iam:Update*",
          ]),
        });
      }
    });

    it("denies the state buckets and their log buckets, the buckets' keys and every environment's secrets key, what another environment's tag marks, and the bootstrap's IAM resources", () => {
      const all = statements("staging");
      const sid = (id: string) => all.find((s) => s.Sid === id);
      expect(sid("NoPulumiState")).toMatchObject({
        Effect: "Deny",
        Action: ["s3:*"],
      });
      const buckets = list(sid("NoPulumiState")?.Resource ?? []);
      for (const b of ["state", "state-replica", "state-failover"])
        expect(buckets).toEqual(
          expect.arrayContaining([`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]),
        );
      expect(buckets).toContain("arn:aws:s3:::state-logs/*");
      const keys = list(sid("NoStateOrSecretsKeys")?.Resource ?? []);
      expect(sid("NoStateOrSecretsKeys")?.Action).toEqual(["kms:*"]);
      for (const env of ["dev", "staging", "prod"])
        expect(keys).toEqual(
          expect.arrayContaining([
            `arn:aws:kms:us-east-1:123456789012:key/${env}-secrets-key`,
            `arn:aws:kms:us-west-2:123456789012:replicakey/${env}-secrets-key-replica`,
          ]),
        );
      expect(sid("NoOtherEnvironmentsResources")).toMatchObject({
        Effect: "Deny",
        Condition: {
          StringEquals: { "aws:ResourceTag/environment": ["dev", "prod"] },
        },
      });
      expect(sid("NoResourcesTaggedForOtherEnvironments")?.Condition).toEqual({
        StringEquals: { "aws:RequestTag/environment": ["dev", "prod"] },
      });
      expect(sid("NoBootstrapIamResources")).toMatchObject({
        Effect: "Deny",
        Action: ["iam:*"],
      });
    });

    it("fits IAM's size limit of a managed policy (6,144 characters without whitespace), with room for longer real names, as does the deploy role's IAM policy", () => {
      for (const env of ["dev", "staging", "prod"])
        for (const name of [`${env}-boundary`, `${env}-deploy-iam`])
          expect([
            name,
            JSON.stringify(rec.one("aws:iam/policy:Policy", name).inputs.policy)
              .length < 4500,
          ]).toEqual([name, true]);
    });
  });

  it.each([
    [
      { "state:repository": "aws-dr" },
      'state:repository = "aws-dr": must be the GitHub repository as <owner>/<repo>',
    ],
    [
      { "state:reviewedPreviews": ["production"] },
      'state:reviewedPreviews = ["production"]: must list environments of state:environments (dev, staging, prod)',
    ],
    [
      { "state:environments": ["dev", "Prod"] },
      'state:environments = ["dev","Prod"]: must be a non-empty list of distinct stack names',
    ],
    [
      { "state:oidcProviderArn": "arn:aws:iam::123456789012:role/x" },
      'state:oidcProviderArn = "arn:aws:iam::123456789012:role/x": must be the ARN of the account\'s GitHub OIDC provider',
    ],
  ])("refuses %j before creating anything", async (bad, message) => {
    const error = (await runProgram(stateProgram, "aws-dr-state", "shared", {
      ...shipped,
      ...bad,
    }).catch((e: unknown) => e)) as ProgramError;
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toContain(message);
    expect(error.recorder.resources).toHaveLength(0);
  });

  it("refuses one region for both before creating anything", async () => {
    const error = (await runProgram(stateProgram, "aws-dr-state", "shared", {
      ...shipped,
      "state:recoveryRegion": "us-east-1",
    }).catch((e: unknown) => e)) as ProgramError;
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toContain(
      'state:recoveryRegion = "us-east-1": must differ from state:primaryRegion',
    );
    expect(error.recorder.resources).toHaveLength(0);
  });
});
