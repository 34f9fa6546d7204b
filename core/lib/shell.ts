// Values written into the bash the factory renders (boot scripts, node checks, acceptance jobs, the mirror script).

/** Single-quoted for bash, whatever the value holds. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
