import {
  checkEc2InstanceType,
  checkRdsInstanceClass,
  instanceSizeWarnings,
} from "./instance-types";

describe("instance types and classes", () => {
  it("knows the families and sizes the shipped stacks and the provider's lagging lists use", () => {
    for (const type of ["t3.small", "m7g.large", "c7i-flex.xlarge"])
      expect([type, checkEc2InstanceType(type)]).toEqual([
        type,
        { kind: "known" },
      ]);
    for (const cls of ["db.t4g.micro", "db.r7g.large", "db.m8g.2xlarge"])
      expect([cls, checkRdsInstanceClass(cls)]).toEqual([
        cls,
        { kind: "known" },
      ]);
  });

  it("names the nearest family and size of what it does not know", () => {
    expect(checkEc2InstanceType("t9.huge")).toEqual({
      kind: "unknown-family",
      suggestion: "t2.large",
    });
    expect(checkRdsInstanceClass("db.t4g.mcro")).toEqual({
      kind: "unknown-size",
      suggestion: "db.t4g.micro",
    });
    // Burstable families stop at 2xlarge.
    expect(checkRdsInstanceClass("db.t4g.4xlarge").kind).toBe("unknown-size");
  });

  it("warns of each unlisted size at any depth, and of nothing else", () => {
    expect(
      instanceSizeWarnings({
        app: { instanceType: "t3.smal" },
        database: { instanceClass: "db.r7g.large" },
        pilotLight: { replicaInstanceClass: "db.t4g.mcro" },
      }),
    ).toEqual([
      'dr:app.instanceType = "t3.smal": no such size of t3 is listed: did you mean t3.small? (packages/model/src/instance-types.ts; add the size there if AWS has it)',
      'dr:pilotLight.replicaInstanceClass = "db.t4g.mcro": no such size of db.t4g is listed: did you mean db.t4g.micro? (packages/model/src/instance-types.ts; add the size there if AWS has it)',
    ]);
  });
});
