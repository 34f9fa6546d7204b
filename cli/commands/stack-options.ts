import { type Command, Option } from "commander";
import { PACKAGE_DIR, ProjectError, type PulumiProject, readProject } from "../../plan/engine/project";
import { InputError } from "../exit";

// The options every verb that reads a stack shares: which stack, and which Pulumi project (this package by default).

export interface StackOptions {
  stack: string;
  dir?: string;
}

export function addStackOptions(cmd: Command): Command {
  return cmd
    .requiredOption("-s, --stack <name>", "the stack to read: stacks/Pulumi.<name>.yaml (dev, ai-factory, gigafactory, ...)")
    .addOption(new Option("--dir <folder>", "the Pulumi project (folder of Pulumi.yaml)").default(PACKAGE_DIR, "this package"));
}

export function projectOf(opts: StackOptions): PulumiProject {
  try {
    return readProject(opts.dir ?? PACKAGE_DIR);
  } catch (e) {
    if (e instanceof ProjectError) throw new InputError([`error ${e.message}`]);
    throw e;
  }
}
