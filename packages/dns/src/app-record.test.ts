import { record } from "@aws-dr/testing";
import { AppRecord } from "./app-record";

describe("AppRecord", () => {
  it("aliases the app's name to the load balancer and follows its health", async () => {
    const rec = await record(
      () =>
        new AppRecord("app", {
          zoneId: "Z123",
          recordName: "app.example.com",
          targetDnsName: "lb.example",
          targetZoneId: "ZLB",
        }),
    );
    expect(rec.one("aws:route53/record:Record").inputs).toMatchObject({
      zoneId: "Z123",
      name: "app.example.com",
      type: "A",
      aliases: [
        { name: "lb.example", zoneId: "ZLB", evaluateTargetHealth: true },
      ],
    });
  });
});
