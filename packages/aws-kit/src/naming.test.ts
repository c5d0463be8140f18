import { physicalName } from "./naming";

describe("physicalName", () => {
  it("prefixes the project and stack so two stacks never collide", () => {
    expect(physicalName("prod", "recovery-db-final")).toBe(
      "aws-dr-prod-recovery-db-final",
    );
    expect(
      physicalName("dev.eu", "restore-test", { style: "underscore" }),
    ).toBe("aws_dr_dev_eu_restore_test");
  });

  it("cuts long names to the limit with a hash of the whole, never leaving a double separator", () => {
    const a = physicalName("abc", "defghijklmno", { maxLength: 20 });
    const b = physicalName("abc", "defghijklmnp", { maxLength: 20 });
    expect(a.length).toBeLessThanOrEqual(20);
    expect(a).not.toMatch(/--|-$/);
    expect(a).not.toBe(b);
  });
});
