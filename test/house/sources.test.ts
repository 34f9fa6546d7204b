import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli-run";

// Every source a comment cites resolves for anyone who clones the repository: a public document by its title,
// or an entry of docs/sources.md by its anchor. The notes the numbers were first gathered in are not in the
// repository, so nothing may cite them.

const SOURCES = "docs/sources.md";
// Spelled in pieces so that this file does not cite them either.
const UNSHIPPED_NOTES = new RegExp(`\\b${"DOM" + "AIN"}(-REFERENCE)?\\.md\\b`);
const CITATION = /docs\/sources\.md#([A-Za-z0-9_-]+)((?:,\s*#[A-Za-z0-9_-]+)*)/g;
const BINARY = /\.(png|jpe?g|gif|ico|pdf|gz|tgz|zip|woff2?)$/i;

/** The repository's files: tracked and not ignored, as a clone (or the next commit) has them. */
function repositoryFiles(): string[] {
  let listed: string[];
  try {
    listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 })
      .split("\n")
      .filter(Boolean);
  } catch {
    listed = walk(ROOT).map((f) => relative(ROOT, f));
  }
  return [...new Set(listed)].filter((f) => !BINARY.test(f) && isFile(join(ROOT, f)));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules" || e.name === ".git") return [];
    const full = join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

const files = repositoryFiles();
const sourcesText = readFileSync(join(ROOT, SOURCES), "utf8");
const anchors = new Set([...sourcesText.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1])));

/** Each `### id` entry of docs/sources.md with its text up to the next heading. */
const entries = [...sourcesText.matchAll(/^### (.+)\n([\s\S]*?)(?=^#{1,3} |(?![\s\S]))/gm)].map((m) => ({ id: m[1].trim(), body: m[2] }));

describe("the sources behind the numbers live in the repository", () => {
  it("no file cites the notes that are not in the repository", () => {
    const citing = files.filter((f) => UNSHIPPED_NOTES.test(readFileSync(join(ROOT, f), "utf8")));
    expect(citing).toEqual([]);
    expect(files).toContain(SOURCES);
  });

  it("every anchor into docs/sources.md that a file cites is a heading of it", () => {
    const missing: string[] = [];
    let cited = 0;
    for (const f of files) {
      for (const m of readFileSync(join(ROOT, f), "utf8").matchAll(CITATION)) {
        const ids = [m[1], ...[...m[2].matchAll(/#([A-Za-z0-9_-]+)/g)].map((x) => x[1])];
        for (const id of ids) {
          cited++;
          if (!anchors.has(id)) missing.push(`${f}: #${id}`);
        }
      }
    }
    for (const m of sourcesText.matchAll(/\]\(#([^)]+)\)/g)) if (!anchors.has(m[1])) missing.push(`${SOURCES}: #${m[1]}`);
    expect(missing).toEqual([]);
    expect(cited).toBeGreaterThan(50);
  });

  it("every entry has a short id, a grade, where to find the document and what it backs", () => {
    expect(entries.length).toBeGreaterThan(30);
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const { id, body } of entries) {
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) problems.push(`${id}: not a short lower-case id`);
      if (seen.has(id)) problems.push(`${id}: twice`);
      seen.add(id);
      if (!/^\[(P|S|U)\] /.test(body)) problems.push(`${id}: no grade [P], [S] or [U] in front`);
      if (!/https:\/\/\S+/.test(body)) problems.push(`${id}: no address`);
      if (!/^Backs: \S/m.test(body)) problems.push(`${id}: does not say what it backs`);
    }
    expect(problems).toEqual([]);
  });
});
