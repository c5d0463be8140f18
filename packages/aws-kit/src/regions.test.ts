import { Region } from "@pulumi/aws/types/enums";
import { KNOWN_REGIONS } from "@aws-dr/model";

describe("the model's region list", () => {
  it("is the provider's commercial-partition regions, so config accepts exactly what the provider does", () => {
    const provider = Object.values(Region).filter(
      (r) => !/^cn-|-gov-|-iso/.test(r),
    );
    expect([...KNOWN_REGIONS].sort()).toEqual([...provider].sort());
  });
});
