import { onDemandPrice, type PriceListProduct } from "./prices";

/** A GetProducts PriceList entry as AWS's Price List Query API returns it (trimmed). */
const product = (
  usagetype: string,
  usd: string,
  beginRange = "0",
): PriceListProduct => ({
  product: { attributes: { usagetype, regionCode: "us-east-1" } },
  terms: {
    OnDemand: {
      "SKU.JRTCKXETXF": {
        priceDimensions: {
          "SKU.JRTCKXETXF.6YS6EN2CT7": {
            unit: "Hrs",
            beginRange,
            pricePerUnit: { USD: usd },
          },
        },
      },
    },
  },
});

describe("reading AWS's Price List", () => {
  it("takes the On-Demand price of the first tier of the product the usage type names", () => {
    expect(
      onDemandPrice(
        [
          product("USE1-NatGateway-Hours", "0.0450000000"),
          product("USE1-NatGateway-Bytes", "0.0450000000"),
        ],
        "NatGateway-Hours",
      ),
    ).toBe(0.045);
    expect(
      onDemandPrice([
        product("TimedStorage-ByteHrs", "0.0230000000"),
        product("TimedStorage-ByteHrs", "0.0220000000", "51200"),
      ]),
    ).toBe(0.023);
  });

  it("gives no price rather than a guess when AWS's answer is empty or ambiguous", () => {
    expect(onDemandPrice([], "KMS-Keys")).toBeUndefined();
    expect(
      onDemandPrice([
        product("BoxUsage:m7g.large", "0.0816000000"),
        product("BoxUsage:m7g.large", "0.1632000000"),
      ]),
    ).toBeUndefined();
  });
});
