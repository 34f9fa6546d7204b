// IPv4 CIDR arithmetic and an aligned allocator over a set of free blocks (buddy splitting).
// Addresses are plain numbers 0 .. 2^32-1 (no bitwise operators, which are signed 32-bit in JavaScript).

export interface Cidr {
  base: number;
  prefix: number;
}

export const cidrSize = (prefix: number): number => 2 ** (32 - prefix);

export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3];
  return { base, prefix };
}

export const isAligned = (c: Cidr): boolean => c.base % cidrSize(c.prefix) === 0;

export function formatCidr(c: Cidr): string {
  const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
  return `${o.join(".")}/${c.prefix}`;
}

export const cidrEnd = (c: Cidr): number => c.base + cidrSize(c.prefix);

export const overlaps = (a: Cidr, b: Cidr): boolean => a.base < cidrEnd(b) && b.base < cidrEnd(a);

export const contains = (outer: Cidr, inner: Cidr): boolean =>
  outer.base <= inner.base && cidrEnd(inner) <= cidrEnd(outer);

/** Free aligned blocks; allocations take a block's lower part and return the rest as aligned buddies. */
export class CidrAllocator {
  private free: Cidr[];

  constructor(blocks: Cidr[]) {
    this.free = blocks.map((b) => ({ ...b }));
  }

  /** The largest free block (lowest address on a tie), not taken. */
  largestFree(): Cidr | undefined {
    let best: Cidr | undefined;
    for (const b of this.free) if (!best || b.prefix < best.prefix || (b.prefix === best.prefix && b.base < best.base)) best = b;
    return best;
  }

  /** Takes a block of the given prefix from the smallest free block that holds it (best fit keeps big blocks whole). */
  allocate(prefix: number): Cidr | undefined {
    let at = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i];
      if (b.prefix > prefix) continue;
      const best = at < 0 ? undefined : this.free[at];
      if (!best || b.prefix > best.prefix || (b.prefix === best.prefix && b.base < best.base)) at = i;
    }
    if (at < 0) return undefined;
    const block = this.free[at];
    this.free.splice(at, 1);
    // Buddy split: the upper half at every level between the block and the allocation stays free.
    for (let p = block.prefix + 1; p <= prefix; p++) this.free.push({ base: block.base + cidrSize(p), prefix: p });
    return { base: block.base, prefix };
  }
}
