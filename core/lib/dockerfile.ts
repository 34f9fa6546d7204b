// A Dockerfile read as its instructions (Dockerfile reference: "Format", "Parser directives", "Environment
// replacement" [P]): `#` starts a comment only at the start of a line, a trailing backslash continues the
// instruction (comment lines inside it are dropped), the instruction is case-insensitive, and `${NAME}` or `$NAME`
// in FROM takes the value of an ARG declared before the first FROM.

export interface DockerInstruction {
  /** Upper case: FROM, RUN, COPY, ARG, ENV, … */
  instruction: string;
  /** The text after the instruction, continuations joined with a space. */
  args: string;
  /** The line (1-based) the instruction starts on. */
  line: number;
}

export class DockerfileSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

const INSTRUCTION = /^([A-Za-z]+)(?:\s+([\s\S]*))?$/;
const KNOWN = new Set(["ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"]);

/** The instructions, in order; a line that is neither an instruction, a comment nor blank is a syntax error. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const rows = text.split(/\r?\n/);
  let pending: { parts: string[]; line: number } | null = null;
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i]!;
    const trimmed = raw.trim();
    if (pending === null && (trimmed === "" || trimmed.startsWith("#"))) continue;
    if (pending !== null && trimmed.startsWith("#")) continue;
    const continues = /\\\s*$/.test(raw);
    const body = continues ? raw.replace(/\\\s*$/, "") : raw;
    if (pending === null) pending = { parts: [], line: i + 1 };
    pending.parts.push(body.trim());
    if (continues && i < rows.length - 1) continue;
    const joined = pending.parts.filter((p) => p !== "").join(" ");
    const match = INSTRUCTION.exec(joined);
    const instruction = match?.[1]?.toUpperCase();
    if (!match || !instruction || !KNOWN.has(instruction)) throw new DockerfileSyntaxError(pending.line, `not an instruction: ${joined.slice(0, 60)}`);
    out.push({ instruction, args: (match[2] ?? "").trim(), line: pending.line });
    pending = null;
  }
  return out;
}

/** An ARG's name and default (`ARG NAME` or `ARG NAME=value`). */
export function argDeclaration(args: string): { name: string; value?: string } {
  const eq = args.indexOf("=");
  return eq < 0 ? { name: args.trim() } : { name: args.slice(0, eq).trim(), value: args.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1") };
}

/** `${NAME}` and `$NAME` replaced by their values; a name without one stays as written. */
export function substitute(text: string, values: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const value = values[(braced ?? bare)!];
    return value === undefined ? whole : value;
  });
}

/** Each FROM's image reference, with the ARGs declared before the first FROM (and `given`, as build arguments) substituted. */
export function fromImages(instructions: readonly DockerInstruction[], given: Readonly<Record<string, string>> = {}): Array<{ image: string; line: number }> {
  const globals: Record<string, string | undefined> = {};
  let seenFrom = false;
  const out: Array<{ image: string; line: number }> = [];
  for (const i of instructions) {
    if (i.instruction === "ARG" && !seenFrom) {
      const { name, value } = argDeclaration(i.args);
      globals[name] = given[name] ?? value;
    } else if (i.instruction === "FROM") {
      seenFrom = true;
      const words = i.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      out.push({ image: substitute(words[0] ?? "", globals), line: i.line });
    }
  }
  return out;
}
