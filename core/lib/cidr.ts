// IPv4 CIDR arithmetic and an aligned allocator over a set of free blocks (buddy splitting).
// Addresses are plain numbers 0 .. 2^32-1 (no bitwise operators, which are signed 32-bit in JavaScript).

export interface Cidr {
  /** The address as written: host bits stay set until networkOf clears them, so a validator can say so. */
  base: number;
  prefix: number;
}

// Decimal octets without leading zeros: "010" reads as octal to some tools and as decimal to others.
const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Addresses in a block of this prefix length. */
export const cidrSize = (prefix: number): number => 2 ** (32 - prefix);

/** `a.b.c.d/n` as written (host bits kept), or undefined for any other text. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5);
  const prefix = Number(m[5]);
  if (!octets.every((o) => OCTET.test(o)) || prefix > 32) return undefined;
  return { base: octets.reduce((n, o) => n * 256 + Number(o), 0), prefix };
}

/** A block known to be well written (a constant), or a thrown error. */
export function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`not a CIDR: ${text}`);
  return c;
}

export const isAligned = (c: Cidr): boolean => c.base % cidrSize(c.prefix) === 0;

/** The block with its host bits cleared: 10.0.0.5/16 → 10.0.0.0/16. */
export const networkOf = (c: Cidr): Cidr => ({ base: c.base - (c.base % cidrSize(c.prefix)), prefix: c.prefix });

export function formatCidr(c: Cidr): string {
  const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
  return `${o.join(".")}/${c.prefix}`;
}

/** The first address past the block. */
export const cidrEnd = (c: Cidr): number => c.base + cidrSize(c.prefix);

export const overlaps = (a: Cidr, b: Cidr): boolean => a.base < cidrEnd(b) && b.base < cidrEnd(a);

/** `inner` lies wholly inside `outer`. */
export const contains = (outer: Cidr, inner: Cidr): boolean => outer.base <= inner.base && cidrEnd(inner) <= cidrEnd(outer);

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

/** The first host address of a block (its network address plus one): 172.20.0.0/16 → 172.20.0.1. */
export function firstServiceAddress(block: string): string {
  const c = networkOf(cidr(block));
  return formatCidr({ base: c.base + 1, prefix: 32 }).replace(/\/32$/, "");
}
