import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compressNames, expandHostlist, formatHostlist, hostName, MAX_HOSTS_PER_RANGE, mergeRuns, ordinalDigits } from "../../../core/lib/hostlist";

const runs = fc.array(fc.record({ first: fc.integer({ min: 1, max: 5_000 }), count: fc.integer({ min: 0, max: 300 }) }), { maxLength: 8 });

describe("host names", () => {
  it("zero-pad the ordinal to the pool's width", () => {
    expect(hostName("train", 7, 5)).toBe("train-00007");
    expect(hostName("train", 123_456, 5)).toBe("train-123456");
  });

  it("widen past the minimum only when the count needs it", () => {
    expect(ordinalDigits(0, 5)).toBe(5);
    expect(ordinalDigits(99_999, 5)).toBe(5);
    expect(ordinalDigits(100_000, 5)).toBe(6);
    expect(ordinalDigits(12, 2)).toBe(2);
  });
});

describe("hostlist expressions", () => {
  it("write one host bare, a run in brackets, and nothing for no host", () => {
    expect(formatHostlist("gpu", 5, [{ first: 3, count: 1 }])).toBe("gpu-00003");
    expect(formatHostlist("gpu", 5, [{ first: 1, count: 32 }])).toBe("gpu-[00001-00032]");
    expect(formatHostlist("gpu", 5, [{ first: 1, count: 0 }])).toBe("");
  });

  it("split a run above 65,536 hosts into several ranges, which slurmctld requires", () => {
    expect(formatHostlist("gpu", 5, [{ first: 1, count: MAX_HOSTS_PER_RANGE + 1 }])).toBe("gpu-[00001-65536,65537]");
    expect(formatHostlist("gpu", 5, [{ first: 1, count: 70_000 }])).toBe("gpu-[00001-65536,65537-70000]");
  });

  it("merge touching and overlapping runs, in order", () => {
    expect(mergeRuns([{ first: 10, count: 5 }, { first: 1, count: 9 }, { first: 12, count: 10 }, { first: 40, count: 0 }])).toEqual([{ first: 1, count: 21 }]);
    expect(formatHostlist("a", 2, [{ first: 7, count: 1 }, { first: 1, count: 3 }])).toBe("a-[01-03,07]");
  });

  it("expand back to every host of the runs, once each and in order (property)", () => {
    fc.assert(
      fc.property(runs, fc.integer({ min: 1, max: 6 }), (given, digits) => {
        const hosts = [...new Set(given.flatMap((r) => Array.from({ length: r.count }, (_, i) => r.first + i)))].sort((a, b) => a - b);
        expect(expandHostlist(formatHostlist("node", digits, given))).toEqual(hosts.map((n) => hostName("node", n, digits)));
      }),
    );
  });

  it("compress names per prefix and width, and expand back to the same set (property)", () => {
    expect(compressNames(["su001", "su002", "su003", "spine", "su005"])).toBe("su[001-003,005],spine");
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 60 }), (numbers) => {
        const names = numbers.map((n) => `leaf${String(n).padStart(3, "0")}`);
        expect(expandHostlist(compressNames(names)).sort()).toEqual([...names].sort());
      }),
    );
  });
});
