import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../../support/cli-run";

// What a module pulls in when it is loaded: its imports and theirs, the repository's modules by path and the
// packages by name. An in-cluster component that reaches @pulumi/aws, however far down, is not in-cluster.

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\("([^"]+)"\)|require\("([^"]+)"\)/g;

function resolved(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const file of [`${base}.ts`, join(base, "index.ts"), base]) if (existsSync(file) && file.endsWith(".ts")) return file;
  throw new Error(`${relative(ROOT, from)} imports ${spec}, which is no TypeScript module`);
}

/** Every module and package the repository module `file` (a path from the root) loads, itself included. */
export function importClosure(file: string): { modules: string[]; packages: string[] } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (modules.has(path)) return;
    modules.add(path);
    for (const m of readFileSync(path, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith(".")) visit(resolved(path, spec));
      else packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
    }
  };
  visit(join(ROOT, file));
  return { modules: [...modules].map((m) => relative(ROOT, m)).sort(), packages: [...packages].sort() };
}
