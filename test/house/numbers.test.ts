import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli-run";

// Numbers a person reads are written one way (core/lib/numbers.ts): the plan report, `quotas`, the review and the
// findings agree on MW or kW, on euros and on thousands, whatever the machine's locale.

const ONE_MODULE = "core/lib/numbers.ts";
const LOCAL_FORMATTING = /\.(toFixed|toLocaleString|toPrecision)\(|Intl\.NumberFormat/;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    if (name === "node_modules") return [];
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) return sources(rel);
    return rel.endsWith(".ts") ? [rel] : [];
  });
}

describe("one number format", () => {
  it("is the only place the program turns a number into text by hand", () => {
    const offenders = ["core", "cli", "plan", "components", "policies"]
      .flatMap(sources)
      .filter((f) => f !== ONE_MODULE)
      .flatMap((f) =>
        readFileSync(join(ROOT, f), "utf8")
          .split("\n")
          .map((line, i) => [`${relative(ROOT, join(ROOT, f))}:${i + 1}`, line] as const)
          .filter(([, line]) => LOCAL_FORMATTING.test(line) && !/^\s*(\/\/|\*)/.test(line)),
      )
      .map(([at, line]) => `${at}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
