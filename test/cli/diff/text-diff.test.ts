import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffStat, unifiedDiff } from "../../../cli/diff/text-diff";

/** Applies hunks of a unified diff to the text they were made from. */
function apply(before: string, diff: string): string {
  const a = before.split("\n");
  const out: string[] = [];
  let at = 0;
  for (const line of diff.split("\n")) {
    const hunk = /^@@ -(\d+),\d+ \+\d+,\d+ @@$/.exec(line);
    if (hunk) {
      const start = Number(hunk[1]) - 1;
      while (at < start) out.push(a[at++]);
    } else if (line.startsWith(" ")) out.push(a[at++]);
    else if (line.startsWith("-")) at++;
    else if (line.startsWith("+")) out.push(line.slice(1));
  }
  while (at < a.length) out.push(a[at++]);
  return out.join("\n");
}

describe("unified diff of rendered text", () => {
  it("shows the changed line with three lines of context, as diff -u", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h"].join("\n");
    const after = ["a", "b", "c", "d", "E", "f", "g", "h"].join("\n");
    expect(unifiedDiff(before, after)).toBe(["@@ -2,7 +2,7 @@", " b", " c", " d", "-e", "+E", " f", " g", " h"].join("\n"));
    expect(unifiedDiff(before, before)).toBe("");
    expect(diffStat(unifiedDiff(before, after))).toEqual({ added: 1, removed: 1 });
  });

  it("turns the old text into the new one, for any two texts", () => {
    const lines = fc.array(fc.constantFrom("x", "y", "z", "NodeName=a", ""), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const before = a.join("\n");
        const after = b.join("\n");
        expect(apply(before, unifiedDiff(before, after))).toBe(after);
      }),
    );
  });
});
