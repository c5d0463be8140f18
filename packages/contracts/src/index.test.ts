import { isProduction } from "./index";

describe("isProduction", () => {
  it("is dr:protectData, whether Pulumi holds it as a string or decoded", () => {
    expect(isProduction({ "dr:protectData": true })).toBe(true);
    expect(isProduction({ "dr:protectData": "true" })).toBe(true);
    expect(isProduction({ "dr:protectData": "false" })).toBe(false);
    expect(isProduction({})).toBe(false);
  });
});
