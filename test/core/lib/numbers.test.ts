import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { count, decimal, eur, fixed, measure, measureDelta, power } from "../../../core/lib/numbers";

describe("one number format", () => {
  it("groups thousands without a locale and never prints -0", () => {
    expect(count(12_500)).toBe("12,500");
    expect(fixed(1234.5, 1)).toBe("1,234.5");
    expect(fixed(-0.001, 1)).toBe("0.0");
    expect(decimal(1612.8)).toBe("1,612.8");
    expect(decimal(120)).toBe("120");
  });

  it("writes power in MW from 1,000 kW and kW below, one unit for a row", () => {
    expect(power(127_500)).toBe("127.50 MW");
    expect(power(652.8)).toBe("652.8 kW");
    expect(measure(652.8, "kW", [127_500])).toBe("0.65 MW");
    expect(measureDelta(127_500, 128_152.8, "kW")).toBe("+0.65 MW (+0.51%)");
  });

  it("rounds money as a budget reads it, to the cent only below a hundred euros", () => {
    expect(eur(518_309_176.96)).toBe("EUR 518.31 million");
    expect(eur(237_404.16)).toBe("EUR 237,404");
    expect(eur(12.5)).toBe("EUR 12.50");
    expect(eur(150.75)).toBe("EUR 151");
    expect(measureDelta(515_565_947.52, 518_309_176.96, "EUR")).toBe("+EUR 2.74 million (+0.53%)");
  });

  it("reads back as the number it writes, for any integer", () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => Number(count(n).replace(/,/g, "")) === n));
  });
});
