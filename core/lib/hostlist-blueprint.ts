// Slurm hostlist expressions for runs of numbered hosts, e.g. train-[00001-00032].

// slurmctld rejects a single bracketed range of more than 65,536 hosts (docs/sources.md#slurm-controller-checks,
// checked against slurmctld 22.05 and 24.11 [P]): longer runs are split into several ranges.
export const MAX_HOSTS_PER_RANGE = 65_536;

export function hostName(prefix: string, ordinal: number, digits: number): string {
  return `${prefix}-${String(ordinal).padStart(digits, "0")}`;
}

/** The hosts prefix-<first> .. prefix-<first+count-1> as one hostlist expression. */
export function hostlist(prefix: string, first: number, count: number, digits: number): string {
  if (count <= 0) return "";
  if (count === 1) return hostName(prefix, first, digits);
  const pad = (n: number) => String(n).padStart(digits, "0");
  const ranges: string[] = [];
  for (let start = first; start < first + count; start += MAX_HOSTS_PER_RANGE) {
    const end = Math.min(first + count, start + MAX_HOSTS_PER_RANGE) - 1;
    ranges.push(start === end ? pad(start) : `${pad(start)}-${pad(end)}`);
  }
  return `${prefix}-[${ranges.join(",")}]`;
}

/** Width of a zero-padded ordinal: at least `min` digits, more when the count needs them. */
export function ordinalDigits(count: number, min: number): number {
  return Math.max(min, String(Math.max(count, 1)).length);
}
