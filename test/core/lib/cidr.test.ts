import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CidrAllocator, cidr, cidrEnd, cidrSize, contains, formatCidr, isAligned, networkOf, overlaps, parseCidr, type Cidr } from "../../../core/lib/cidr";

const address = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const prefix = fc.integer({ min: 0, max: 32 });
const block = fc.tuple(address, prefix).map(([a, p]): Cidr => networkOf({ base: a, prefix: p }));

describe("parsing a CIDR block", () => {
  it("keeps the address as written, so host bits can be reported", () => {
    expect(parseCidr("10.0.0.5/16")).toEqual({ base: 10 * 2 ** 24 + 5, prefix: 16 });
    expect(isAligned(parseCidr("10.0.0.5/16")!)).toBe(false);
    expect(formatCidr(networkOf(parseCidr("10.0.0.5/16")!))).toBe("10.0.0.0/16");
  });

  it("refuses octets above 255, leading zeros, prefixes above 32 and anything else", () => {
    for (const text of ["256.0.0.0/16", "10.01.0.0/16", "010.0.0.0/16", "10.0.0.0/33", "10.0.0/16", "10.0.0.0", "ten/8", ""]) {
      expect(parseCidr(text), text).toBeUndefined();
    }
    expect(parseCidr(" 192.168.0.0/24 ")).toEqual(cidr("192.168.0.0/24"));
    expect(() => cidr("10.0.0.0/33")).toThrow("not a CIDR: 10.0.0.0/33");
  });

  it("reads back what formatCidr writes (property)", () => {
    fc.assert(
      fc.property(address, prefix, (base, p) => {
        expect(parseCidr(formatCidr({ base, prefix: p }))).toEqual({ base, prefix: p });
      }),
    );
  });
});

describe("block arithmetic", () => {
  it("sizes a block by its prefix length", () => {
    expect(cidrSize(16)).toBe(65_536);
    expect(cidrSize(32)).toBe(1);
    expect(cidrSize(0)).toBe(2 ** 32);
    expect(cidrEnd(cidr("10.0.0.0/8"))).toBe(11 * 2 ** 24);
  });

  it("clears host bits into an aligned block that holds the address (property)", () => {
    fc.assert(
      fc.property(address, prefix, (base, p) => {
        const net = networkOf({ base, prefix: p });
        expect(isAligned(net)).toBe(true);
        expect(contains(net, { base, prefix: 32 })).toBe(true);
      }),
    );
  });

  it("contains exactly the blocks inside it, and whatever it contains overlaps it (property)", () => {
    fc.assert(
      fc.property(block, block, (a, b) => {
        const inside = a.base <= b.base && b.base + cidrSize(b.prefix) <= a.base + cidrSize(a.prefix);
        expect(contains(a, b)).toBe(inside);
        if (contains(a, b)) expect(overlaps(a, b)).toBe(true);
        // Aligned blocks either nest or are disjoint.
        expect(overlaps(a, b)).toBe(contains(a, b) || contains(b, a));
      }),
    );
  });

  it("judges the RFC 1918 ranges as AWS documents them", () => {
    expect(contains(cidr("172.16.0.0/12"), cidr("172.31.0.0/16"))).toBe(true);
    expect(contains(cidr("172.16.0.0/12"), cidr("172.32.0.0/16"))).toBe(false);
    expect(overlaps(cidr("10.0.0.0/15"), cidr("10.1.0.0/16"))).toBe(true);
    expect(overlaps(cidr("10.0.0.0/16"), cidr("10.1.0.0/16"))).toBe(false);
  });
});

describe("the CIDR allocator", () => {
  it("takes the smallest free block that fits and leaves the buddies free", () => {
    const pool = new CidrAllocator([cidr("10.0.0.0/16"), cidr("10.1.0.0/20")]);
    expect(formatCidr(pool.allocate(24)!)).toBe("10.1.0.0/24");
    expect(formatCidr(pool.allocate(16)!)).toBe("10.0.0.0/16");
    expect(pool.allocate(16)).toBeUndefined();
    expect(formatCidr(pool.largestFree()!)).toBe("10.1.8.0/21");
  });

  it("hands out aligned, disjoint blocks inside the free space (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 16, max: 28 }), { maxLength: 40 }), (prefixes) => {
        const space = [cidr("10.0.0.0/16"), cidr("10.1.0.0/17")];
        const pool = new CidrAllocator(space);
        const taken = prefixes.map((p) => pool.allocate(p)).filter((c) => c !== undefined);
        for (const [i, c] of taken.entries()) {
          expect(isAligned(c)).toBe(true);
          expect(space.some((s) => contains(s, c))).toBe(true);
          for (const other of taken.slice(i + 1)) expect(overlaps(c, other)).toBe(false);
        }
      }),
    );
  });
});
