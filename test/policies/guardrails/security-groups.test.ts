import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isInternetCidr } from "../../../policies/guardrails/security-groups";

// What counts as "the internet" for a security group rule: a public range wider than the configured prefix.

const widths = { widestPublicIpv4Prefix: 16, widestPublicIpv6Prefix: 48 };

describe("isInternetCidr", () => {
  it("takes the private, carrier-grade NAT and loopback ranges as closed, host bits set or not", () => {
    for (const c of ["10.0.0.0/8", "10.0.0.5/8", "172.16.0.0/12", "172.31.255.0/24", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.1/8", " 10.1.0.0/16 "]) expect(isInternetCidr(c, widths), c).toBe(false);
  });

  it("takes a public range wider than the configured prefix as the internet, a narrower one or a lone address not", () => {
    for (const c of ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "172.32.0.0/11", "8.0.0.0/8", "11.0.0.0/15", "0.0.0.0/7"]) expect(isInternetCidr(c, widths), c).toBe(true);
    for (const c of ["8.8.0.0/16", "8.8.8.8/32", "8.8.8.8", "203.0.113.0/24"]) expect(isInternetCidr(c, widths), c).toBe(false);
    expect(isInternetCidr("8.8.0.0/16", { ...widths, widestPublicIpv4Prefix: 24 })).toBe(true);
  });

  it("a range wider than a private block is no longer inside it: 10.0.0.0/7 is the internet", () => {
    expect(isInternetCidr("10.0.0.0/7", widths)).toBe(true);
    expect(isInternetCidr("172.0.0.0/11", widths)).toBe(true);
  });

  it("reads IPv6 by its own width and private prefixes, and text that is no address as closed", () => {
    expect(isInternetCidr("::/0", widths)).toBe(true);
    expect(isInternetCidr("2001:db8::/32", widths)).toBe(true);
    expect(isInternetCidr("fd00::/8", widths)).toBe(false);
    for (const c of ["not-a-cidr", "1.2.3/8", "256.0.0.0/8", "1.2.3.4/33", ""]) expect(isInternetCidr(c, widths), c).toBe(false);
  });

  it("agrees with the first-octet reading of the private blocks for any well-formed IPv4 range", () => {
    const privateBlock = (o: number[], prefix: number) =>
      (o[0] === 10 && prefix >= 8) || (o[0] === 172 && o[1] >= 16 && o[1] < 32 && prefix >= 12) || (o[0] === 192 && o[1] === 168 && prefix >= 16) || (o[0] === 100 && o[1] >= 64 && o[1] < 128 && prefix >= 10) || (o[0] === 127 && prefix >= 8);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 32 }), (octets, prefix, widest) => {
        const expected = !privateBlock(octets, prefix) && prefix < widest;
        expect(isInternetCidr(`${octets.join(".")}/${prefix}`, { widestPublicIpv4Prefix: widest, widestPublicIpv6Prefix: 48 })).toBe(expected);
      }),
    );
  });
});
