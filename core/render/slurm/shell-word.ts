import { shellQuote } from "../../lib/shell";

/** A word for sh: as it is when it is plain, in single quotes otherwise. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(value) ? value : shellQuote(value);
}
