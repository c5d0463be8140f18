import { cidrsOverlap } from "@aws-dr/model";
import { subnetLayout } from "./subnet-layout";

const all = (layout: ReturnType<typeof subnetLayout>) => [
  ...layout.public,
  ...layout.private,
  ...layout.isolated,
];

describe("subnetLayout", () => {
  it("gives each zone a private half and public and isolated quarters of a fixed slot", () => {
    expect(subnetLayout("10.30.0.0/16", 2)).toEqual({
      private: ["10.30.0.0/19", "10.30.64.0/19"],
      public: ["10.30.32.0/20", "10.30.96.0/20"],
      isolated: ["10.30.48.0/20", "10.30.112.0/20"],
    });
  });

  it.each([
    ["10.0.0.0/16", 2, 3],
    ["10.0.0.0/16", 3, 4],
    ["172.16.8.0/22", 2, 4],
    ["192.168.2.0/23", 2, 3],
  ])(
    "adds subnets and moves none when %s grows from %i to %i zones",
    (cidr, from, to) => {
      const before = subnetLayout(cidr, from);
      const after = subnetLayout(cidr, to);
      for (const kind of ["public", "private", "isolated"] as const) {
        expect(after[kind].slice(0, from)).toEqual(before[kind]);
        expect(after[kind]).toHaveLength(to);
      }
    },
  );

  it.each(["10.0.0.0/16", "10.1.0.0/20", "192.168.2.0/23"])(
    "cuts %s into subnets that do not overlap and stay inside the VPC at four zones",
    (cidr) => {
      const subnets = all(subnetLayout(cidr, 4));
      subnets.forEach((a, i) =>
        subnets
          .slice(i + 1)
          .forEach((b) => expect(cidrsOverlap(a, b)).toBe(false)),
      );
      for (const subnet of subnets)
        expect(cidrsOverlap(subnet, cidr)).toBe(true);
      expect(
        Math.max(...subnets.map((s) => Number(s.split("/")[1]))),
      ).toBeLessThanOrEqual(27);
    },
  );
});
