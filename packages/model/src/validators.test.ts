import { cidrsOverlap, isAwsCron, isRegion, isVpcCidr } from "./validators";

describe("validators", () => {
  it.each(["us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1"])(
    "accepts region %s",
    (r) => expect(isRegion(r)).toBe(true),
  );
  it.each(["us-east", "US-EAST-1", "moon-base-1", ""])(
    "rejects region %s",
    (r) => expect(isRegion(r)).toBe(false),
  );

  it.each(["10.0.0.0/16", "172.16.0.0/20", "192.168.4.0/23"])(
    "accepts CIDR %s",
    (c) => expect(isVpcCidr(c)).toBe(true),
  );
  it.each([
    "10.0.0.0/8",
    "10.0.0.0/28",
    "192.168.4.0/24", // its public subnets would be too small for an ALB
    "10.0.1.0/16",
    "300.0.0.0/16",
    "10.0.0/16",
  ])("rejects CIDR %s", (c) => expect(isVpcCidr(c)).toBe(false));

  it("detects overlapping CIDRs", () => {
    expect(cidrsOverlap("10.0.0.0/16", "10.0.255.0/24")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
  });

  it.each(["cron(0 5 ? * * *)", "cron(0 */6 * * ? *)", "cron(30 2 ? * SAT *)"])(
    "accepts cron %s",
    (c) => expect(isAwsCron(c)).toBe(true),
  );
  it.each([
    "0 5 * * *",
    "cron(0 5 * * * *)",
    "cron(0 5 ? * ? *)",
    "cron(61 5 ? * * *)",
    "cron(0 L ? * * *)",
    "rate(1 day)",
  ])("rejects cron %s", (c) => expect(isAwsCron(c)).toBe(false));
});
