import type { Recording, RawStackConfig } from "@aws-dr/testing";
import { TIER_TEST_CONFIG, runnerOf } from "../test-stack";
import { ENDPOINT_SWITCH_CODE } from "./endpoint-switch";

const run = async (overrides: RawStackConfig) =>
  (await runnerOf(TIER_TEST_CONFIG)(overrides)).recorder;

const plans: Record<string, Recording> = {};
beforeAll(async () => {
  plans.prod = await run({ "dr:tier": "warm-standby", "dr:protectData": true });
  plans.dev = await run({ "dr:tier": "pilot-light" });
  plans.active = await run({ "dr:tier": "active-active" });
  plans.activeFailover = await run({
    "dr:tier": "active-active",
    "dr:failover": true,
  });
  plans.backup = await run({ "dr:tier": "backup-restore" });
  plans.off = await run({
    "dr:tier": "pilot-light",
    "dr:regionSwitch": { enabled: false },
  });
});

const plan = (rec: Recording) =>
  rec.one("aws:arcregionswitch/plan:Plan", "region-switch");
interface Step {
  name: string;
  executionBlockType: string;
  [key: string]: unknown;
}
const steps = (rec: Recording) =>
  (plan(rec).inputs.workflows as { steps: Step[] }[])[0].steps;

describe("the ARC Region switch plan", () => {
  it("activates the recovery region: approval (prod), then fleet and database in parallel, then the endpoint parameters, then traffic", () => {
    const p = plan(plans.prod);
    expect(p.region).toBe("us-west-2");
    expect(p.inputs).toMatchObject({
      name: "aws-dr-test-region-switch",
      recoveryApproach: "activePassive",
      regions: ["us-east-1", "us-west-2"],
      primaryRegion: "us-east-1",
      recoveryTimeObjectiveMinutes: 60,
      executionRole: "arn:aws:iam::123456789012:role/region-switch-execution",
    });
    expect(
      (p.inputs.workflows as Record<string, unknown>[]).map((w) => [
        w.workflowTargetAction,
        w.workflowTargetRegion,
      ]),
    ).toEqual([
      ["activate", "us-west-2"],
      ["activate", "us-east-1"],
    ]);
    const [approve, parallel, endpoints, traffic] = steps(plans.prod);
    expect(approve).toEqual({
      name: "approve",
      executionBlockType: "ManualApproval",
      executionApprovalConfigs: [
        {
          approvalRole: "arn:aws:iam::123456789012:role/region-switch-approver",
          timeoutMinutes: 60,
        },
      ],
    });
    const [scale, promote] = (
      parallel.parallelConfigs as { steps: Step[] }[]
    )[0].steps;
    expect(scale).toMatchObject({
      executionBlockType: "EC2AutoScaling",
      ec2AsgCapacityIncreaseConfigs: [
        {
          asgs: [
            {
              arn: "arn:aws:autoscaling:us-east-1:123456789012:group/primary-asg",
            },
            {
              arn: "arn:aws:autoscaling:us-west-2:123456789012:group/recovery-asg",
            },
          ],
          targetPercent: 100,
        },
      ],
    });
    expect(promote).toMatchObject({
      executionBlockType: "RdsPromoteReadReplica",
      rdsPromoteReadReplicaConfigs: [
        {
          dbInstanceArnMap: {
            "us-east-1": "arn:aws:rds:us-east-1:123456789012:db:primary-db",
            "us-west-2": "arn:aws:rds:us-west-2:123456789012:db:recovery-db",
          },
        },
      ],
    });
    // The recovery region's writer and serving-region parameters, before any traffic arrives.
    expect(endpoints).toEqual({
      name: "point-endpoints",
      executionBlockType: "CustomActionLambda",
      customActionLambdaConfigs: [
        {
          lambdas: [
            {
              arn: "arn:aws:lambda:us-east-1:123456789012:function:endpoint-switch-primary",
            },
            {
              arn: "arn:aws:lambda:us-west-2:123456789012:function:endpoint-switch-recovery",
            },
          ],
          regionToRun: "activatingRegion",
          retryIntervalMinutes: 1,
          timeoutMinutes: 60,
        },
      ],
    });
    expect(traffic).toMatchObject({
      executionBlockType: "Route53HealthCheck",
      route53HealthCheckConfigs: [
        {
          hostedZoneId: "Z0123",
          recordName: "app.example.com",
          recordSets: [
            { recordSetIdentifier: "primary", region: "us-east-1" },
            { recordSetIdentifier: "recovery", region: "us-west-2" },
          ],
        },
      ],
    });
  });

  it("gives traffic back to the primary region in a second workflow that only moves the plan's health checks (failback)", () => {
    const failback = (
      plan(plans.prod).inputs.workflows as { steps: Step[] }[]
    )[1].steps;
    expect(failback.map((s) => s.executionBlockType)).toEqual([
      "ManualApproval",
      "Route53HealthCheck",
    ]);
  });

  it("asks for no approval outside prod unless configured", () => {
    expect(steps(plans.dev).map((s) => s.executionBlockType)).toEqual([
      "Parallel",
      "CustomActionLambda",
      "Route53HealthCheck",
    ]);
    expect(
      plans.dev.ofType("aws:iam/role:Role").map((r) => r.name),
    ).not.toContain("region-switch-approver");
  });

  it("combines the primary record's own health check with the plan's (healthy until the plan runs) and the fence's; the recovery record keeps its own", () => {
    const combined = plans.active.one(
      "aws:route53/healthCheck:HealthCheck",
      "app-primary-combined",
    );
    expect(combined.inputs).toMatchObject({
      type: "CALCULATED",
      childHealthchecks: [
        "app-primary-health-id",
        "arc-health-us-east-1",
        "app-primary-fence-id",
      ],
      childHealthThreshold: 3,
    });
    expect(
      plans.active.one("aws:route53/record:Record", "app-recovery").inputs
        .healthCheckId,
    ).toBe("app-recovery-health-id");
  });

  it("does not look the plan's health checks up while failed over: a control-plane call in us-east-1, which may be down", () => {
    expect(plans.activeFailover.calls.map((c) => c.token)).not.toContain(
      "aws:arcregionswitch/getRoute53HealthChecks:getRoute53HealthChecks",
    );
  });

  it("lets the approver approve this plan's steps and read the execution it approves, nothing else", () => {
    const policy = JSON.parse(
      String(
        plans.prod.one(
          "aws:iam/rolePolicy:RolePolicy",
          "region-switch-approver",
        ).inputs.policy,
      ),
    ) as { Statement: { Action: string[]; Resource: string[] }[] };
    // This plan's ARN (the mock runtime's, from its type, name and region), no other.
    const planArn = `arn:aws:arcregionswitch:${plan(plans.prod).region}:123456789012:plan/region-switch`;
    expect(policy.Statement).toEqual([
      {
        Sid: "ApproveThisPlan",
        Effect: "Allow",
        Action: [
          "arc-region-switch:ApprovePlanExecutionStep",
          "arc-region-switch:GetPlanExecution",
          "arc-region-switch:ListPlanExecutions",
          "arc-region-switch:ListPlanExecutionEvents",
          "arc-region-switch:GetPlanInRegion",
        ],
        Resource: [planArn],
      },
    ]);
  });

  it("runs as a role only ARC Region switch may assume, allowed to change exactly the two fleets, the replica and the zone's records", () => {
    const rec = plans.active;
    expect(
      JSON.stringify(
        rec.one("aws:iam/role:Role", "region-switch-execution").inputs
          .assumeRolePolicy,
      ),
    ).toContain('"Service":"arc-region-switch.amazonaws.com"');
    const policy = JSON.parse(
      String(
        rec.one("aws:iam/rolePolicy:RolePolicy", "region-switch-execution")
          .inputs.policy,
      ),
    ) as { Statement: { Sid: string; Resource: unknown }[] };
    expect(
      Object.fromEntries(policy.Statement.map((s) => [s.Sid, s.Resource])),
    ).toEqual({
      ReadFleetsAndCapacity: "*",
      ScaleTheFleets: [
        "arn:aws:autoscaling:us-east-1:123456789012:group/primary-asg",
        "arn:aws:autoscaling:us-west-2:123456789012:group/recovery-asg",
      ],
      PromoteTheReplica: ["arn:aws:rds:us-west-2:123456789012:db:recovery-db"],
      PointTheEndpoints: [
        "arn:aws:lambda:us-east-1:123456789012:function:endpoint-switch-primary",
        "arn:aws:lambda:us-west-2:123456789012:function:endpoint-switch-recovery",
      ],

      FindTheRecords: ["arn:aws:route53:::hostedzone/Z0123"],
    });
  });

  it("points each region's endpoint parameters at its own database, allowed nothing else", () => {
    const rec = plans.active;
    const parameters = Object.fromEntries(
      rec
        .ofType("aws:ssm/parameter:Parameter")
        .map((p) => [`${p.region} ${p.name}`, p.inputs.name]),
    );
    for (const [id, region] of [
      ["primary", "us-east-1"],
      ["recovery", "us-west-2"],
    ]) {
      const fn = rec.one(
        "aws:lambda/function:Function",
        `endpoint-switch-${id}`,
      );
      expect(fn.region).toBe(region);
      expect(fn.inputs).toMatchObject({
        runtime: "nodejs22.x",
        handler: "index.handler",
        environment: {
          variables: {
            DB_INSTANCE: `${id}-db`,
            WRITER_PARAMETER: parameters[`${region} ${id}-endpoints-writer`],
            SERVING_REGION_PARAMETER:
              parameters[`${region} ${id}-endpoints-servingRegion`],
          },
        },
      });
      const policy = JSON.parse(
        String(
          rec.one("aws:iam/rolePolicy:RolePolicy", `endpoint-switch-${id}`)
            .inputs.policy,
        ),
      ) as { Statement: { Action: string[]; Resource: string[] }[] };
      expect(policy.Statement.map((st) => [st.Action, st.Resource])).toEqual([
        [
          ["rds:DescribeDBInstances"],
          [`arn:aws:rds:${region}:123456789012:db:${id}-db`],
        ],
        [
          ["ssm:PutParameter"],
          [
            `arn:aws:ssm:${region}:123456789012:parameter${parameters[`${region} ${id}-endpoints-writer`]}`,
            `arn:aws:ssm:${region}:123456789012:parameter${parameters[`${region} ${id}-endpoints-servingRegion`]}`,
          ],
        ],
        [
          ["logs:CreateLogStream", "logs:PutLogEvents"],
          [expect.stringMatching(/:\*$/)],
        ],
      ]);
    }
  });

  it("writes the parameters only once RDS says the database is promoted and in a state that takes writes", async () => {
    const put: Record<string, string>[] = [];
    // The handler as Lambda runs it, its two SDK clients swapped for fakes that answer like RDS.
    const handlerFor = async (instance: Record<string, unknown>) => {
      const fakes = {
        RDSClient: class {
          send = async () => ({ DBInstances: [instance] });
        },
        DescribeDBInstancesCommand: class {},
        SSMClient: class {
          send = async (command: { input: Record<string, string> }) => {
            put.push(command.input);
          };
        },
        PutParameterCommand: class {
          constructor(readonly input: Record<string, string>) {}
        },
      };
      const body = ENDPOINT_SWITCH_CODE.replace(/^import .*$/gm, "").replace(
        "export const handler =",
        "return",
      );
      return new Function(...Object.keys(fakes), "process", body)(
        ...Object.values(fakes),
        {
          env: {
            DB_INSTANCE: "recovery-db",
            WRITER_PARAMETER: "/w",
            SERVING_REGION_PARAMETER: "/s",
            AWS_REGION: "us-west-2",
          },
        },
      ) as () => Promise<unknown>;
    };
    const endpoint = { Address: "recovery-db.example" };
    for (const waiting of [
      {
        ReadReplicaSourceDBInstanceIdentifier: "arn:primary",
        DBInstanceStatus: "available",
        Endpoint: endpoint,
      },
      { DBInstanceStatus: "rebooting", Endpoint: endpoint },
      { DBInstanceStatus: "stopped", Endpoint: endpoint },
      { Endpoint: endpoint },
      { DBInstanceStatus: "available" },
    ])
      await expect((await handlerFor(waiting))()).rejects.toThrow(
        "recovery-db",
      );
    expect(put).toEqual([]);
    for (const status of ["backing-up", "available", "modifying"])
      await expect(
        (await handlerFor({ DBInstanceStatus: status, Endpoint: endpoint }))(),
      ).resolves.toEqual({
        writer: "recovery-db.example",
        servingRegion: "us-west-2",
      });
    const writes = [
      { Name: "/w", Value: "recovery-db.example", Overwrite: true },
      { Name: "/s", Value: "us-west-2", Overwrite: true },
    ];
    expect(put).toEqual([...writes, ...writes, ...writes]);
  });

  it("is replaced by deleting first (its name is fixed), and on a primaryRegion change, which an update never sends", () => {
    const p = plan(plans.active);
    expect(p.deleteBeforeReplace).toBe(true);
    expect(p.replaceOnChanges).toEqual(["primaryRegion"]);
  });

  it("takes the plan's health check id from config once pinned: then no run asks us-east-1", async () => {
    const pinned = await run({
      "dr:tier": "active-active",
      "dr:regionSwitch": {
        primaryHealthCheckId: "0d6a3e3c-1111-4222-8333-444455556666",
      },
    });
    expect(pinned.calls.map((c) => c.token)).not.toContain(
      "aws:arcregionswitch/getRoute53HealthChecks:getRoute53HealthChecks",
    );
    expect(
      pinned.one("aws:route53/healthCheck:HealthCheck", "app-primary-combined")
        .inputs.childHealthchecks,
    ).toEqual([
      "app-primary-health-id",
      "0d6a3e3c-1111-4222-8333-444455556666",
      "app-primary-fence-id",
    ]);
    // Unpinned, it is looked up (and exported, to be pinned).
    expect(plans.active.calls.map((c) => c.token)).toContain(
      "aws:arcregionswitch/getRoute53HealthChecks:getRoute53HealthChecks",
    );
  });

  it("is left as it is by dr:failover: the program agrees with what the plan did, it does not fight it", () => {
    expect(plan(plans.activeFailover).inputs).toEqual(
      plan(plans.active).inputs,
    );
  });

  it("exists only at the replica tiers with DNS, when enabled", () => {
    for (const rec of [plans.backup, plans.off])
      expect(rec.ofType("aws:arcregionswitch/plan:Plan")).toEqual([]);
    // Without the plan the primary record combines its own check with the fence's only.
    expect(
      plans.off.one(
        "aws:route53/healthCheck:HealthCheck",
        "app-primary-combined",
      ).inputs.childHealthchecks,
    ).toEqual(["app-primary-health-id", "app-primary-fence-id"]);
    for (const rec of [plans.backup, plans.off])
      expect(
        rec.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name),
      ).not.toContain("region-switch-primary-check");
  });

  it("alarms while the plan holds the primary unhealthy, not failed over: Route 53 would send all traffic to the recovery site unasked", () => {
    const alarm = plans.active.one(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "region-switch-primary-check",
    );
    // Route 53's metrics are in us-east-1 only: here the primary region, and its topic.
    expect(alarm.region).toBe("us-east-1");
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: "arc-health-us-east-1" },
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      alarmActions: ["arn:aws:sns:us-east-1:123456789012:topic/primary-alerts"],
    });
    expect(alarm.inputs.alarmDescription).toContain(
      "docs/disaster-day.md#region-switch",
    );
    // Failed over it stays as it is (in the primary region here, which may be down): the check's
    // id is not looked up then, and ignoreChanges holds the one it has.
    const held = plans.activeFailover.one(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "region-switch-primary-check",
    );
    expect(held.ignoreChanges).toEqual(["dimensions"]);
    expect({ ...held.inputs, dimensions: undefined }).toEqual({
      ...alarm.inputs,
      dimensions: undefined,
    });
  });

  it("puts that alarm, with a topic of its own, in us-east-1 when neither of the stack's regions is", async () => {
    const europe = await run({
      "dr:tier": "pilot-light",
      "dr:primaryRegion": "eu-west-1",
      "dr:recoveryRegion": "eu-central-1",
      "dr:network": {
        primaryZones: ["eu-west-1a", "eu-west-1b"],
        recoveryZones: ["eu-central-1a", "eu-central-1b"],
      },
    });
    const alarm = europe.one(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "region-switch-primary-check",
    );
    expect(alarm.region).toBe("us-east-1");
    const topic = europe.one("aws:sns/topic:Topic", "route53-metrics-alerts");
    expect(topic.region).toBe("us-east-1");
    expect(alarm.inputs.alarmActions).toEqual([
      `arn:aws:sns:us-east-1:123456789012:topic/route53-metrics-alerts`,
    ]);
  });
});

describe("the Resilience Hub policy", () => {
  it.each(["backup", "dev", "active"])(
    "states dr:targets for every failure kind (%s)",
    (state) => {
      const policy = plans[state].one(
        "aws:resiliencehub/resiliencyPolicy:ResiliencyPolicy",
        "resiliency-policy",
      );
      const objective = { rto: "60m", rpo: "120m" };
      expect(policy.region).toBe("us-west-2");
      expect(policy.inputs.policy).toEqual({
        region: objective,
        az: objective,
        hardware: objective,
        software: objective,
      });
    },
  );
});
