import type { Finding, FindingLevel } from "./schema";

// Every finding is built here, so each reads alike: the YAML path to fix (see paths.ts), what is wrong, what to do.

function finding(level: FindingLevel, path: string, message: string, hint: string): Finding {
  return { path, level, message, hint };
}

/** Stops the flow: nothing is sized or planned from a spec with an error. */
export const error = (path: string, message: string, hint: string): Finding => finding("error", path, message, hint);

/** Worth fixing, but the factory can be planned as it is. */
export const warning = (path: string, message: string, hint: string): Finding => finding("warning", path, message, hint);

/** What the factory will do that a reader might not expect. */
export const info = (path: string, message: string, hint: string): Finding => finding("info", path, message, hint);
