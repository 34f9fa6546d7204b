import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DockerfileSyntaxError, fromImages, parseDockerfile, substitute } from "../../../core/lib/dockerfile";

// The Dockerfile reader the slurmd recipe's checks stand on: instructions with continuations and comments, ARGs in FROM.

describe("reading a Dockerfile", () => {
  it("joins continued lines, drops comments inside them, and keeps each instruction's first line", () => {
    const text = ["# syntax=docker/dockerfile:1", "ARG BASE=img", "", "from ${BASE}@sha256:abc AS build", "RUN a && \\", "  # a comment inside", "    b \\", "    c", "COPY x /y"].join("\n");
    expect(parseDockerfile(text)).toEqual([
      { instruction: "ARG", args: "BASE=img", line: 2 },
      { instruction: "FROM", args: "${BASE}@sha256:abc AS build", line: 4 },
      { instruction: "RUN", args: "a && b c", line: 5 },
      { instruction: "COPY", args: "x /y", line: 9 },
    ]);
  });

  it("refuses a line that is no instruction, naming its line", () => {
    expect(() => parseDockerfile("FROM a\nfrobnicate b\n")).toThrow(new DockerfileSyntaxError(2, "not an instruction: frobnicate b"));
  });

  it("substitutes the ARGs declared before the first FROM, build arguments over defaults", () => {
    const list = parseDockerfile("ARG R=reg\nARG D\nFROM $R/img:1@${D}\nARG R=other\nFROM ${R}/second\n");
    expect(fromImages(list).map((f) => f.image)).toEqual(["reg/img:1@${D}", "reg/second"]);
    expect(fromImages(list, { D: "sha256:0", R: "mine" }).map((f) => f.image)).toEqual(["mine/img:1@sha256:0", "mine/second"]);
    expect(substitute("${A}-$B-${C}", { A: "1", B: "2" })).toBe("1-2-${C}");
  });

  const instruction = fc.constantFrom("FROM", "RUN", "COPY", "ARG", "ENV", "SHELL", "WORKDIR", "LABEL");
  // One line of text: no line break, not starting with '#', not ending in a backslash, no leading or trailing space.
  const word = fc.stringMatching(/^[A-Za-z0-9_=@:./${}&|'"-]{1,12}$/);
  const args = fc.array(word, { minLength: 1, maxLength: 6 });

  it("reads back whatever instructions were written, however they are split over lines and commented", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(instruction, args, fc.array(fc.boolean(), { maxLength: 6 }), fc.boolean()), { minLength: 1, maxLength: 12 }), (written) => {
        const lines: string[] = [];
        const expected: Array<{ instruction: string; args: string }> = [];
        for (const [name, words, splits, comment] of written) {
          let line = `${name} ${words[0]}`;
          const rest = words.slice(1);
          rest.forEach((w, i) => {
            if (splits[i]) {
              lines.push(`${line} \\`);
              if (comment) lines.push("  # between continued lines");
              line = `    ${w}`;
            } else line = `${line} ${w}`;
          });
          lines.push(line);
          if (comment) lines.push("# after it", "");
          expected.push({ instruction: name, args: words.join(" ") });
        }
        expect(parseDockerfile(lines.join("\n")).map(({ instruction, args }) => ({ instruction, args }))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("answers any text with instructions or a syntax error, never anything else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        try {
          for (const i of parseDockerfile(text)) expect(i.line).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(DockerfileSyntaxError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
