import { readdirSync } from "node:fs";
import { type Command, Option } from "commander";
import { PACKAGE_DIR, type PulumiProject, readProject } from "../../plan/engine/project";
import { InputError } from "../exit";

// The options every verb that reads a stack shares: which stack, and which Pulumi project (this package by default).

export interface StackOptions {
  stack: string;
  dir?: string;
}

export function addStackOptions(cmd: Command): Command {
  // Not a required option: commander checks those before unknown ones, and `--stak dev` would read as a missing --stack.
  return cmd
    .option("-s, --stack <name>", "the stack to read: stacks/Pulumi.<name>.yaml (dev, ai-factory, gigafactory, ...)")
    .addOption(new Option("--dir <folder>", "the Pulumi project (folder of Pulumi.yaml)").default(PACKAGE_DIR, "this package"));
}

export function projectOf(opts: StackOptions): PulumiProject {
  const project = readProject(opts.dir ?? PACKAGE_DIR);
  if (opts.stack === undefined || opts.stack === "") {
    const stacks = stacksOf(project.stackDir);
    throw new InputError([`error --stack: no stack named — pass --stack <name>${stacks.length ? `, one of: ${stacks.join(", ")}` : ""}`]);
  }
  return project;
}

/** The stacks whose files the folder holds (`Pulumi.<stack>.yaml`). */
function stacksOf(dir: string): string[] {
  try {
    return readdirSync(dir)
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
  } catch {
    return [];
  }
}
