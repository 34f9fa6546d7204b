import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { closest } from "./did-you-mean";
import { error } from "./findings";
import { describeValue } from "./issues";
import { MAX_FILE_BYTES, MAX_TENANTS } from "../catalog/spec-bounds";
import { count, fixed } from "../lib/numbers";
import { boundFindings, documentBounds } from "./bounds";
import { filePath, filePrefix, joinPath, parsePath, REGION_PATH, specPath, type PathSegment } from "./paths";
import { CONFIG_KEY, type Finding } from "./schema";

// The thin shell around the YAML: read a stack file or a tenants file, report what cannot be read with
// its line and column, and map a finding's path back to where it is written.

export interface Location {
  line: number;
  column: number;
}

export interface LoadedStack {
  /** The stack file's path (stackDir joined with Pulumi.<stack>.yaml). */
  file: string;
  /** The stack's config: map; `gigafactory:factory` is found under its full key. */
  config: Record<string, unknown>;
  findings: Finding[];
  /** Where a finding's path (`gigafactory:factory.pools.train`, `aws:region`) is written in the file. */
  locate(path: string): Location | undefined;
}

export interface LoadedTenantsFile {
  /** The whole file as data (`tenants:` and what is under it), when it could be read. */
  raw?: unknown;
  findings: Finding[];
  /** Where a path of the form `<relPath>:tenants.acme.gpuQuota` is written in the file. */
  locate(path: string): Location | undefined;
}

const nowhere = () => undefined;

interface Parsed {
  doc?: Document;
  lines: LineCounter;
  data?: unknown;
  findings: Finding[];
}

/** True when following the data's maps and lists comes back to where it started (a YAML alias to its own parent). */
function isCyclic(value: unknown, stack = new Set<object>()): boolean {
  if (value === null || typeof value !== "object") return false;
  if (stack.has(value)) return true;
  stack.add(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  const cyclic = children.some((c) => isCyclic(c, stack));
  stack.delete(value);
  return cyclic;
}

/** Where a stack file's data lives, as a finding path: the spec under its key, the region, any other key as written. */
function stackPathOf(segments: readonly PathSegment[]): string {
  const [top, key, ...rest] = segments;
  if (top === "config" && (key === CONFIG_KEY || key === "factory")) return specPath(...rest);
  if (top === "config" && key === REGION_PATH) return joinPath(REGION_PATH, ...rest);
  return joinPath("", ...(segments.length > 0 ? segments : ["config"]));
}

/** The keys and items that lead to the text at `offset`, as far as the (possibly broken) document holds them. */
function segmentsAt(doc: Document, text: string, offset: number): PathSegment[] {
  const out: PathSegment[] = [];
  let node: unknown = doc.contents;
  const covers = (range: readonly number[] | null | undefined, start = range?.[0]) => range != null && start !== undefined && offset >= start && offset <= range[2];
  for (let depth = 0; depth < 64 && node; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const key = (p.key as { range?: number[] } | null)?.range;
        const value = (p.value as { range?: number[] } | null)?.range;
        return covers(value ?? key, key?.[0] ?? value?.[0]);
      });
      // A key that runs over a line end is a broken line read as a key, not a key anyone wrote.
      if (!pair || !isScalar(pair.key) || !pair.key.range || text.slice(pair.key.range[0], pair.key.range[1]).includes("\n")) break;
      out.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => covers((item as { range?: number[] } | null)?.range));
      if (i < 0) break;
      out.push(i);
      node = node.items[i];
    } else break;
  }
  return out;
}

const MAX_YAML_PROBLEMS = 10;

/** Keys written twice in one map, each at its second place: one pass with a set per map. */
function duplicateKeys(doc: Document): { code: string; message: string; pos: [number, number] }[] {
  const out: { code: string; message: string; pos: [number, number] }[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          if (seen.has(key) && pair.key.range) out.push({ code: "DUPLICATE_KEY", message: `the key ${JSON.stringify(key)} is written twice in this map`, pos: [pair.key.range[0], pair.key.range[1]] });
          seen.add(key);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) stack.push(...node.items);
  }
  return out;
}

function parseYaml(text: string, pathOf: (segments: readonly PathSegment[]) => string): Parsed {
  const lines = new LineCounter();
  const findings: Finding[] = [];
  let doc: Document;
  try {
    // Duplicate keys are found below in one pass: YAML's own check compares every key with every other.
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, resolveKnownTags: false });
  } catch (e) {
    return { lines, findings: [error(pathOf([]), `not valid YAML: ${firstLine((e as Error).message)}`, "fix the YAML syntax")] };
  }
  // Strict: what YAML only warns about (an unknown tag such as !ruby/object, a key that is a map) is an error.
  const problems = [...doc.errors, ...doc.warnings, ...duplicateKeys(doc)];
  for (const problem of problems.slice(0, MAX_YAML_PROBLEMS)) {
    const at = lines.linePos(problem.pos[0]);
    const tag = problem.code === "TAG_RESOLVE_FAILED";
    const what = tag ? "unknown YAML tag" : problem.code === "DUPLICATE_KEY" ? "duplicate key" : "not valid YAML";
    findings.push(error(pathOf(segmentsAt(doc, text, problem.pos[0])), `${what} at line ${at.line}, column ${at.col}: ${firstLine(problem.message)}`, tag ? "remove the tag (!name): the spec is plain YAML; quote the value if the ! belongs to it" : yamlHint(problem.code)));
  }
  if (problems.length > MAX_YAML_PROBLEMS) findings.push(error(pathOf([]), `${problems.length - MAX_YAML_PROBLEMS} more YAML problems beyond the ${MAX_YAML_PROBLEMS} listed`, "fix the ones listed and run again"));
  if (findings.length > 0) return { doc, lines, findings };
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    return { doc, lines, findings: [error(pathOf([]), `the YAML cannot be read: ${firstLine((e as Error).message)}`, "check the YAML anchors (&name) and aliases (*name)")] };
  }
  if (isCyclic(data)) {
    return { doc, lines, findings: [error(pathOf([]), "the YAML refers to itself through an alias", "replace the alias (*name) that points into its own parent with the values")] };
  }
  const bounded = documentBounds(data, pathOf);
  if (bounded.length > 0) return { doc, lines, findings: boundFindings(bounded) };
  return { doc, lines, data, findings };
}

/** The file's text, unless it is too large for any spec or is not a file. */
function readBounded(file: string, at: string, shown: string): { text?: string; findings: Finding[] } {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return { findings: [error(at, `${shown} is a folder, not a file`, "name a YAML file")] };
    size = stat.size;
  } catch (e) {
    return { findings: [error(at, `${shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`, "check the path and the file's permissions")] };
  }
  if (size > MAX_FILE_BYTES) {
    return { findings: [error(at, `${shown} is ${fixed(size / 1048576, 1)} MiB, larger than any spec (${MAX_FILE_BYTES / 1048576} MiB holds ${count(MAX_TENANTS)} tenants)`, "remove what the factory does not use, or move the tenants to a tenantsFile")] };
  }
  try {
    return { text: fs.readFileSync(file, "utf8"), findings: [] };
  } catch (e) {
    return { findings: [error(at, `${shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`, "check the file's permissions")] };
  }
}

function firstLine(s: string): string {
  return s.split("\n")[0].trim();
}

function yamlHint(code: string): string {
  if (code === "DUPLICATE_KEY") return "each key may appear once in a map: merge the two entries or rename one";
  if (code === "TAB_AS_INDENT") return "indent with spaces, not tabs";
  if (code.startsWith("BAD_INDENT") || code === "MISSING_CHAR") return "check the indentation and the closing brackets on this line and the one before";
  return "fix the YAML syntax at that line";
}

/** The line and column of the deepest part of `segments` that the document holds (a key's own position where there is one). */
function locateIn(doc: Document | undefined, lines: LineCounter, segments: readonly PathSegment[]): Location | undefined {
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  let found: [number, number] | undefined;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const key = pair.key as { range?: [number, number, number] };
      if (key.range) found = [key.range[0], key.range[1]];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) found = [item.range[0], item.range[1]];
      node = item;
    } else break;
  }
  if (!found) return undefined;
  const pos = lines.linePos(found[0]);
  return { line: pos.line, column: pos.col };
}

/** Stack names that have a file in the folder. */
export function stacksIn(stackDir: string): string[] {
  try {
    return fs
      .readdirSync(stackDir)
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
  } catch {
    return [];
  }
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function loadStack(stackDir: string, stack: string): LoadedStack {
  // A fully qualified stack (org/project/stack) keeps its settings under the short name.
  const name = stack.split("/").pop() ?? stack;
  const file = path.join(stackDir, `Pulumi.${name}.yaml`);
  const rejected = (findings: Finding[], locate: LoadedStack["locate"] = nowhere): LoadedStack => ({ file, config: {}, findings, locate });

  const known = stacksIn(stackDir);
  if (name.length === 0 || name !== path.basename(name) || name === ".." || !fs.existsSync(file)) {
    const guess = closest(name, known);
    return rejected([error(file, `there is no stack ${JSON.stringify(stack)}: ${file} does not exist`, `${guess ? `did you mean ${guess}? ` : ""}stacks: ${known.join(", ") || `none (add ${path.join(stackDir, "Pulumi.<stack>.yaml")})`}`)]);
  }
  const read = readBounded(file, "config", file);
  if (read.text === undefined) return rejected(read.findings);

  const parsed = parseYaml(read.text, stackPathOf);
  const locate = (p: string) => locateStackPath(parsed, p);
  if (parsed.data === undefined) return rejected(parsed.findings, locate);
  const findings = [...parsed.findings];
  if (!isPlainMap(parsed.data) || !isPlainMap(parsed.data.config)) {
    const got = isPlainMap(parsed.data) ? parsed.data.config : parsed.data;
    findings.push(error(CONFIG_KEY, `${file} has no config: map (found ${describeValue(got)})`, `write config: with aws:region: and ${CONFIG_KEY}: indented under it`));
    return rejected(findings, locate);
  }
  const config: Record<string, unknown> = { ...parsed.data.config };
  // Pulumi reads a key without a namespace as the project's own: `factory` is gigafactory:factory.
  if (!Object.hasOwn(config, CONFIG_KEY) && Object.hasOwn(config, "factory")) config[CONFIG_KEY] = config.factory;
  const factory = config[CONFIG_KEY];
  if (factory === undefined || factory === null) {
    findings.push(error(CONFIG_KEY, `${file} has no ${CONFIG_KEY} under config:`, `add ${CONFIG_KEY}: with at least preset: and pools:`));
  } else if (!isPlainMap(factory)) {
    findings.push(error(CONFIG_KEY, `${CONFIG_KEY} must be a map of keys, got ${describeValue(factory)}`, `indent preset:, pools: and the other keys under ${CONFIG_KEY}:`));
  }
  const region = config[REGION_PATH];
  if (region !== undefined && typeof region !== "string") {
    findings.push(error(REGION_PATH, `aws:region must be a region name, got ${describeValue(region)}`, "e.g. aws:region: eu-north-1"));
  }
  return { file, config, findings, locate };
}

function locateStackPath(parsed: Parsed, p: string): Location | undefined {
  if (p === REGION_PATH) return locateIn(parsed.doc, parsed.lines, ["config", REGION_PATH]);
  if (!p.startsWith(CONFIG_KEY)) return undefined;
  const rest = p.slice(CONFIG_KEY.length);
  const segments = rest === "" ? [] : rest.startsWith(".") || rest.startsWith("[") ? parsePath(rest.replace(/^\./, "")) : undefined;
  if (!segments) return undefined;
  const root = parsed.data && isPlainMap(parsed.data) && isPlainMap(parsed.data.config) && !Object.hasOwn(parsed.data.config, CONFIG_KEY) && Object.hasOwn(parsed.data.config, "factory") ? "factory" : CONFIG_KEY;
  return locateIn(parsed.doc, parsed.lines, ["config", root, ...segments]);
}

/** Why a tenants file path may not be read (absolute, or outside the stack folder), or undefined. */
export function tenantsFilePathProblem(stackDir: string, relPath: string): string | undefined {
  if (path.isAbsolute(relPath)) return "it is an absolute path";
  const relative = path.relative(path.resolve(stackDir), path.resolve(stackDir, relPath));
  if (relative === "") return "it names the folder of the stack files itself, not a file in it";
  if (relative.startsWith("..") || path.isAbsolute(relative)) return "it leads outside the folder of the stack files";
  return undefined;
}

export function readTenantsFile(stackDir: string, relPath: string): LoadedTenantsFile {
  const at = specPath("tenantsFile");
  const problem = tenantsFilePathProblem(stackDir, relPath);
  if (problem) return { findings: [error(at, `tenantsFile ${relPath} cannot be used: ${problem}`, "name a file next to the stack file, e.g. tenants.<stack>.yaml")], locate: nowhere };
  const file = path.join(stackDir, relPath);
  let real: string;
  try {
    // Symbolic links count where they lead: the file itself must be inside the folder too.
    real = fs.realpathSync(file);
    if (tenantsFilePathProblem(fs.realpathSync(stackDir), path.relative(fs.realpathSync(stackDir), real))) {
      return { findings: [error(at, `tenantsFile ${relPath} links outside the folder of the stack files`, "copy the file next to the stack file")], locate: nowhere };
    }
  } catch {
    const yamls = (() => {
      try {
        return fs.readdirSync(stackDir).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith("Pulumi."));
      } catch {
        return [];
      }
    })();
    return { findings: [error(at, `tenantsFile ${relPath} does not exist next to the stack file`, `${yamls.length > 0 ? `files there: ${yamls.join(", ")}; ` : ""}create ${relPath} holding tenants:`)], locate: nowhere };
  }
  const read = readBounded(real, at, `tenantsFile ${relPath}`);
  if (read.text === undefined) return { findings: read.findings, locate: nowhere };
  const parsed = parseYaml(read.text, (segments) => (segments.length === 0 ? relPath : filePath(relPath, ...segments)));
  const locate = (p: string) => {
    const prefix = filePrefix(relPath);
    if (!p.startsWith(prefix)) return undefined;
    const segments = parsePath(p.slice(prefix.length));
    return segments ? locateIn(parsed.doc, parsed.lines, segments) : undefined;
  };
  if (parsed.findings.some((f) => f.level === "error")) return { findings: parsed.findings, locate };
  return { raw: parsed.data ?? null, findings: parsed.findings, locate };
}
