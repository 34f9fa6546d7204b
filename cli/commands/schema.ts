import * as path from "node:path";
import type { Command } from "commander";
import { publishedSchemas, STACK_SCHEMA_FILE } from "../../core/spec/json-schema";
import { EXIT_OK, verb } from "../exit";
import { addQuietOption, type OutputOptions, writeOutput } from "../output";

// `gigafactory schema [--out FOLDER]`: the JSON Schemas of a stack file and a tenants file, generated from the zod
// schema the loader parses with, for editors (the repository publishes them under schema/).

interface SchemaOptions extends OutputOptions {
  out?: string;
}

export function registerSchema(program: Command): void {
  const cmd = program
    .command("schema")
    .description(`the JSON Schema of a stack file on stdout, or with --out both published files (${publishedSchemas().map((s) => s.file).join(", ")})`)
    .option("-o, --out <folder>", "write every schema file into the folder (the repository's is schema/)");
  addQuietOption(cmd).action(verb((opts: SchemaOptions) => schema(opts)));
}

export function schema(opts: SchemaOptions): number {
  const files = publishedSchemas();
  if (opts.out === undefined) {
    process.stdout.write(files.find((f) => f.file === STACK_SCHEMA_FILE)!.text);
    return EXIT_OK;
  }
  for (const f of files) writeOutput(path.join(opts.out, f.file), f.text, opts);
  return EXIT_OK;
}
