import * as Module from "node:module";

// A verb's implementation loads when the verb runs, so `--help` and the other verbs start without it. The command
// (bin/gigafactory.js) loads TypeScript through require hooks, so require is what it has; a test runner that
// compiles TypeScript itself answers import() instead, where require finds no .ts file.

type Extensions = Record<string, unknown>;

/** The module `viaRequire` or `viaImport` loads, whichever this process loads TypeScript by. */
export async function loadVerb<T>(viaRequire: () => T, viaImport: () => Promise<T>): Promise<T> {
  const extensions = (Module as unknown as { _extensions: Extensions })._extensions;
  return extensions[".ts"] ? viaRequire() : viaImport();
}
