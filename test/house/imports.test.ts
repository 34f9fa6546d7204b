import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli-run";

// The house's rules, read from the code's own imports: arrows run one way (cli/ and policies/ → plan/ →
// components/ → core/), the core never loads Pulumi, no file imports itself round a circle, and no file grows
// past what a reader holds in mind.

const SOURCE_DIRS = ["core", "components", "plan", "cli", "policies", "stacks", "bench"];
const MAX_LINES = 400;
/** Files that are one table of data or generated: long by nature, nothing to follow inside them. */
const LONG_BY_NATURE = ["policies/catalog/aws-types.generated.ts", "plan/replacement-table.ts"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir))) {
    const path = join(dir, entry);
    if (entry === "node_modules") continue;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.ts$/.test(entry) && !entry.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const FILES = SOURCE_DIRS.flatMap(sourceFiles).sort();

function resolveImport(from: string, spec: string): string | undefined {
  const base = normalize(join(dirname(from), spec));
  return [base, `${base}.ts`, join(base, "index.ts")].find((c) => FILES.includes(c) || (existsSync(join(ROOT, c)) && statSync(join(ROOT, c)).isFile()));
}

interface Imports {
  local: string[];
  packages: string[];
}

const IMPORTS = new Map<string, Imports>(
  FILES.map((file) => {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
    const specs = info.importedFiles.map((f) => f.fileName);
    const local = specs.filter((s) => s.startsWith(".")).map((s) => resolveImport(file, s) ?? `unresolved:${s}`);
    return [file, { local, packages: specs.filter((s) => !s.startsWith(".")) }];
  }),
);

/** How far down the flow a file sits: it may import only files at its own floor or below. */
function floor(file: string): number {
  const top = file.split("/")[0];
  return { core: 0, components: 1, plan: 2, cli: 3, policies: 3, stacks: 4, bench: 5 }[top] ?? 9;
}

describe("the house's imports", () => {
  it("resolve to files of the repository", () => {
    const unresolved = [...IMPORTS].flatMap(([f, i]) => i.local.filter((d) => d.startsWith("unresolved:")).map((d) => `${f} → ${d}`));
    expect(unresolved).toEqual([]);
  });

  it("run one way: cli/ and policies/ → plan/ → components/ → core/", () => {
    const upward = [...IMPORTS].flatMap(([f, i]) => i.local.filter((d) => floor(d) > floor(f)).map((d) => `${f} → ${d}`));
    expect(upward).toEqual([]);
  });

  it("never reach from policies/ into cli/, nor from cli/ into a policy pack's insides", () => {
    const crossing = [...IMPORTS].flatMap(([f, i]) =>
      i.local
        .filter((d) => (f.startsWith("policies/") && d.startsWith("cli/")) || (f.startsWith("cli/") && /^policies\/(eu-residency|guardrails)\/(?!pack\.ts)/.test(d)))
        .map((d) => `${f} → ${d}`),
    );
    expect(crossing).toEqual([]);
  });

  it("keep Pulumi out of the core", () => {
    const loaded = [...IMPORTS].filter(([f]) => f.startsWith("core/")).flatMap(([f, i]) => i.packages.filter((p) => p.startsWith("@pulumi/")).map((p) => `${f} → ${p}`));
    expect(loaded).toEqual([]);
  });

  it("form no circle of files", () => {
    expect(circles(new Map([...IMPORTS].map(([f, i]) => [f, i.local])))).toEqual([]);
  });

  it("form no circle of folders inside core/ and components/", () => {
    const folderOf = (f: string) => f.split("/").slice(0, f.startsWith("core/render/") ? 3 : 2).join("/");
    const edges = new Map<string, string[]>();
    for (const [f, i] of IMPORTS) {
      if (!/^(core|components)\//.test(f)) continue;
      const from = folderOf(f);
      for (const d of i.local) if (/^(core|components)\//.test(d) && folderOf(d) !== from) edges.set(from, [...(edges.get(from) ?? []), folderOf(d)]);
    }
    expect(circles(edges)).toEqual([]);
  });
});

describe("the house's files", () => {
  it(`hold at most ${MAX_LINES} lines, except data tables and generated files`, () => {
    // The tests too: a test file is read as often as the code it holds to.
    const long = [...FILES, ...sourceFiles("test")]
      .filter((f) => !LONG_BY_NATURE.includes(f))
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), "utf8").split("\n").length }))
      .filter((x) => x.lines > MAX_LINES)
      .map((x) => `${x.f}: ${x.lines} lines`);
    expect(long).toEqual([]);
  });

  it("include no test that replaces a module: test files share their worker's modules (vitest.config.mts)", () => {
    const tests = sourceFiles("test").filter((f) => f.endsWith(".test.ts"));
    const mocking = tests.filter((f) => /\bvi\.(mock|doMock|unmock|resetModules)\(/.test(readFileSync(join(ROOT, f), "utf8")));
    expect(tests.length).toBeGreaterThan(50);
    expect(mocking, "a module mock would leak into the files the same worker runs next").toEqual([]);
  });

  it("finds a circle when there is one (the check itself)", () => {
    expect(circles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual(["a → b → c"]);
  });
});

/** Every strongly connected set of more than one node (Tarjan), each as its members in order. */
function circles(graph: Map<string, string[]>): string[] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const members: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        members.push(w);
      } while (w !== v);
      if (members.length > 1) found.push(members.sort().join(" → "));
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return found;
}

