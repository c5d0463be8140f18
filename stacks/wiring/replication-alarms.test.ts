import type { RawStackConfig } from "@aws-dr/testing";
import { MINIMAL_CONFIG, runnerOf } from "../test-stack";

const run = async (overrides: RawStackConfig) =>
  (
    await runnerOf({
      ...MINIMAL_CONFIG,
      "dr:tier": "pilot-light",
      "dr:targets": { rtoMinutes: 60, rpoMinutes: 120 },
      "dr:backup": { schedule: "cron(0 * ? * * *)" },
    })(overrides)
  ).recorder;

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

describe("the replica-lag alarms", () => {
  it("fire past dr:alerts.replicaLagMinutes after 5 one-minute periods, whatever the RPO target: the window the RPO estimate counts", async () => {
    for (const [alerts, targets, seconds] of [
      [{}, { rpoMinutes: 120 }, 300],
      [{}, { rpoMinutes: 1500 }, 300],
      [{ replicaLagMinutes: 2 }, { rpoMinutes: 120 }, 120],
    ] as const) {
      const alarm = (
        await run({ "dr:alerts": alerts, "dr:targets": targets })
      ).one(ALARM, "replica-alarms-replica-lag");
      expect(alarm.inputs).toMatchObject({
        metricName: "ReplicaLag",
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        threshold: seconds,
        treatMissingData: "breaching",
      });
      expect(alarm.inputs.alarmDescription).toBe(
        `Replica lags more than the RPO estimate counts (${seconds / 60} min, 5 x 60 s)`,
      );
    }
  });

  it("watch a failback's successor the same way", async () => {
    const reseed = await run({
      "dr:failover": true,
      "dr:failoverStep": "resize",
      "dr:failback": "reseed",
      "dr:alerts": { replicaLagMinutes: 3 },
    });
    expect(
      reseed.one(ALARM, "successor-alarms-replica-lag").inputs,
    ).toMatchObject({ threshold: 180, period: 60, evaluationPeriods: 5 });
  });
});
