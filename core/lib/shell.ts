// Values written into the bash the factory renders (boot scripts, node checks, acceptance jobs, the mirror script).

/** Single-quoted for bash, whatever the value holds. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A word for sh: as it is when it is plain, in single quotes otherwise. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(value) ? value : shellQuote(value);
}
