import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, type Stats, statSync, utimesSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type CliRun, gigafactory, ROOT } from "./cli-run";

// The plans of the repository's stacks that a test run shares: each stack in stacks/ planned once, by
// `gigafactory plan --stack S --json-file FILE` in a process of its own, into a folder per run:
//
//   <dir>/<stack>/snapshot.json   the snapshot, byte for byte as `plan --json` wrote it
//   <dir>/<stack>/run.json        { code, stdout, stderr, ms, args }: written last, once the plan has ended
//
// A run whose every plan succeeded is kept for the next run under a key that is the digest of everything a plan
// reads (every file of the repository outside test/, the installed packages as npm recorded them, node, the
// environment a plan inherits); a later run with the same key reads it instead of planning. So is the plan of a
// copy of the stacks with an edit (planOf in test/fixtures/diff/real-plans.ts), under that key and the copy's
// files. This file and the CLI runner are part of the key, so a change to how plans are made or kept is a new key.
// GIGAFACTORY_PLAN_CACHE=off plans anew (e.g. after editing a file under node_modules by hand).

const RECORD = "run.json";
const SNAPSHOT = "snapshot.json";
/** Longest first, so that the longest plan does not start last; the rest by name. */
const LONGEST_FIRST = ["gigafactory", "ai-factory"];
/** Plans at the same time: the machine this runs on has two cores, and a gigafactory plan takes ~850 MiB. */
export const PLANS_AT_ONCE = 2;

export const STACKS_DIR = path.join(ROOT, "stacks");
export const CACHE_ROOT = path.join(ROOT, "node_modules", ".cache", "gigafactory-plans");
const STACKS_CACHE = path.join(CACHE_ROOT, "stacks");
const VARIANTS_CACHE = path.join(CACHE_ROOT, "variants");
/** Runs kept (the newest by use), and plans of copies: a few runs' worth (~16 MB a run, up to 13 MB a copy). */
const STACKS_KEEP = 6;
const VARIANTS_KEEP = 24;

export interface PlanRecord extends CliRun {
  stack: string;
  args: string[];
  ms: number;
}

/** Every stack of stacks/ (Pulumi.<stack>.yaml), by name. */
export function repoStacks(): string[] {
  return readdirSync(STACKS_DIR)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export const recordFile = (dir: string, stack: string) => path.join(dir, stack, RECORD);
export const snapshotFile = (dir: string, stack: string) => path.join(dir, stack, SNAPSHOT);

export function readRecord(dir: string, stack: string): PlanRecord | undefined {
  const file = recordFile(dir, stack);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as PlanRecord) : undefined;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Plans `stacks` into `dir`, PLANS_AT_ONCE at a time; each stack's record is written when its plan ends. */
export async function planStacks(dir: string, stacks: string[], signal?: AbortSignal): Promise<PlanRecord[]> {
  const order = [...stacks].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const records: PlanRecord[] = [];
  let next = 0;
  const worker = async () => {
    while (next < order.length && !signal?.aborted) {
      const stack = order[next++];
      mkdirSync(path.join(dir, stack), { recursive: true });
      const args = ["plan", "--stack", stack, "--json-file", snapshotFile(dir, stack)];
      const started = performance.now();
      let run: CliRun;
      try {
        run = await gigafactory(args, { signal });
      } catch (e) {
        run = { code: -1, stdout: "", stderr: `gigafactory ${args.join(" ")} did not start: ${(e as Error).message}` };
      }
      const record: PlanRecord = { stack, args, ms: Math.round(performance.now() - started), ...run };
      writeAtomically(recordFile(dir, stack), JSON.stringify(record));
      records.push(record);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PLANS_AT_ONCE, order.length) }, worker));
  return records;
}

function rank(stack: string): number {
  const i = LONGEST_FIRST.indexOf(stack);
  return i < 0 ? LONGEST_FIRST.length : i;
}

// ---- the key ----

/** Top-level entries of the repository that no plan reads. */
const NOT_READ_BY_A_PLAN = new Set([".git", "node_modules", "test"]);
/** The environment a plan inherits and might read. */
const ENV_READ = /^(NODE_|PULUMI_|AWS_|TSX_|GIGAFACTORY_)/;
const ENV_IGNORED = new Set(["GIGAFACTORY_PLAN_CACHE"]);

/** A file's SHA-256, as sourceKey adds it. */
class Digest {
  constructor(readonly hex: string) {}
}

// A file's digest, kept while its size, change time and inode stay: a test file asks for the key before and after
// each plan it makes, and reading and hashing the whole repository each time cost seconds of CPU per file.
const digests = new Map<string, { size: number; ctimeMs: number; mtimeMs: number; ino: number; digest: Digest }>();

function fileDigest(file: string, stat: Stats): Digest {
  const kept = digests.get(file);
  if (kept && kept.size === stat.size && kept.ctimeMs === stat.ctimeMs && kept.mtimeMs === stat.mtimeMs && kept.ino === stat.ino) return kept.digest;
  const digest = new Digest(createHash("sha256").update(readFileSync(file)).digest("hex"));
  digests.set(file, { size: stat.size, ctimeMs: stat.ctimeMs, mtimeMs: stat.mtimeMs, ino: stat.ino, digest });
  return digest;
}

/** The digest of everything a plan of the repository's stacks reads: the same key, the same plans. */
export function sourceKey(): string {
  const hash = createHash("sha256");
  const add = (label: string, content: string | Buffer | Digest) =>
    hash.update(`${label}\0${content instanceof Digest ? content.hex : createHash("sha256").update(content).digest("hex")}\n`);
  add("node", `${process.version} ${process.platform} ${process.arch}`);
  add("env", JSON.stringify(Object.entries(process.env).filter(([k]) => ENV_READ.test(k) && !ENV_IGNORED.has(k)).sort(([a], [b]) => a.localeCompare(b))));
  // How the plans are made is part of what they are.
  for (const f of ["plan-cache.ts", "cli-run.ts"]) add(`test/support/${f}`, readFileSync(path.join(__dirname, f)));
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(ROOT, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && NOT_READ_BY_A_PLAN.has(entry.name)) continue;
      const full = path.join(ROOT, child);
      const stat = statSync(full);
      // A linked folder is named by where it points (following it could loop); a linked file is read.
      if (stat.isDirectory() && entry.isSymbolicLink()) add(child, `link to ${readlinkSync(full)}`);
      else if (stat.isDirectory()) walk(child);
      else if (stat.isFile()) add(child, fileDigest(full, stat));
    }
  };
  walk("");
  // The installed packages: npm's record of the tree it installed, and each dependency's own manifest.
  const hidden = path.join(ROOT, "node_modules", ".package-lock.json");
  add("node_modules/.package-lock.json", existsSync(hidden) ? readFileSync(hidden) : "absent");
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies?: object; devDependencies?: object };
  for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})].sort()) {
    const file = path.join(ROOT, "node_modules", dep, "package.json");
    add(`node_modules/${dep}/package.json`, existsSync(file) ? readFileSync(file) : "absent");
  }
  return hash.digest("hex").slice(0, 32);
}

// ---- the cache ----

export function cacheEnabled(): boolean {
  return process.env.GIGAFACTORY_PLAN_CACHE !== "off";
}

/** The kept plans for `key`, if every stack in it planned successfully. */
export function cachedPlans(key: string, stacks: string[]): string | undefined {
  const dir = path.join(STACKS_CACHE, key);
  if (!existsSync(dir)) return undefined;
  for (const stack of stacks) {
    const record = readRecord(dir, stack);
    if (!record || record.code !== 0 || !existsSync(snapshotFile(dir, stack))) return undefined;
  }
  const now = new Date();
  utimesSync(dir, now, now);
  return dir;
}

/** Keeps a run's plans under `key` (never replacing kept ones), and only the newest few runs. */
export function keepPlans(dir: string, key: string): void {
  keep(STACKS_CACHE, key, (staging) => cpSync(dir, staging, { recursive: true }), STACKS_KEEP);
}

/** The digest of a copy of the stacks planned as `stack`: the repository's key and every file of the copy. */
export function variantKey(stack: string, dir: string): string {
  const hash = createHash("sha256").update(`${sourceKey()}\0${stack}\0`);
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else hash.update(`${child}\0${createHash("sha256").update(readFileSync(path.join(dir, child))).digest("hex")}\n`);
    }
  };
  walk("");
  return hash.digest("hex").slice(0, 32);
}

/** The kept snapshot of a copy's plan under `key`. */
export function cachedVariant(key: string): string | undefined {
  const file = path.join(VARIANTS_CACHE, key, SNAPSHOT);
  if (!existsSync(file)) return undefined;
  const now = new Date();
  utimesSync(path.dirname(file), now, now);
  return file;
}

/** Keeps the snapshot of a copy's successful plan under `key`. */
export function keepVariant(key: string, snapshot: string): void {
  keep(VARIANTS_CACHE, key, (staging) => cpSync(snapshot, path.join(staging, SNAPSHOT)), VARIANTS_KEEP);
}

/** Fills a folder and renames it to `<root>/<key>` (so a reader never sees it half written), then keeps the newest `count`. */
function keep(root: string, key: string, fill: (staging: string) => void, count: number): void {
  mkdirSync(root, { recursive: true });
  const target = path.join(root, key);
  if (!existsSync(target)) {
    const staging = mkdtempSync(path.join(root, `.${key}-`));
    fill(staging);
    try {
      renameSync(staging, target);
    } catch {
      // Another run kept the same plans first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const hour = Date.now() - 3_600_000;
  const entries = readdirSync(root).map((f) => ({ f, at: statSync(path.join(root, f)).mtimeMs }));
  // Folders left half written by a run that was stopped.
  for (const { f } of entries.filter((e) => e.f.startsWith(".") && e.at < hour)) rmSync(path.join(root, f), { recursive: true, force: true });
  const kept = entries.filter((e) => !e.f.startsWith(".")).sort((a, b) => b.at - a.at);
  for (const { f } of kept.slice(count)) rmSync(path.join(root, f), { recursive: true, force: true });
}

export function newRunDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "gigafactory-plans-"));
}
