import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

// The Pulumi project the engine plans: its name, its program and where its stack files live (Pulumi.yaml).

export interface PulumiProject {
  dir: string;
  name: string;
  /** Absolute path of the program's entry module. */
  programFile: string;
  /** Absolute path of the folder that holds Pulumi.<stack>.yaml. */
  stackDir: string;
}

/** A project that cannot be read: the CLI prints the message and exits 2. */
export class ProjectError extends Error {}

export function readProject(dir: string): PulumiProject {
  const file = path.join(dir, "Pulumi.yaml");
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ProjectError(
      code ? `${file}: cannot be read (${code}) — run gigafactory from the project folder or pass --dir` : `${file}: not valid YAML — fix the project file`,
    );
  }
  const project = (doc ?? {}) as { name?: unknown; main?: unknown; stackConfigDir?: unknown };
  if (typeof project.name !== "string" || project.name === "") throw new ProjectError(`${file}: name is missing — name the project`);
  const main = typeof project.main === "string" ? project.main : "index.ts";
  const programFile = path.resolve(dir, main);
  return {
    dir: path.resolve(dir),
    name: project.name,
    // `main` may name a folder (Pulumi then runs its index).
    programFile: main.endsWith(".ts") || main.endsWith(".js") ? programFile : path.join(programFile, "index.ts"),
    stackDir: path.resolve(dir, typeof project.stackConfigDir === "string" ? project.stackConfigDir : "."),
  };
}

/** The folder of this package: the project `gigafactory plan` plans unless told otherwise. */
export const PACKAGE_DIR = path.resolve(__dirname, "..", "..");

/** The versions of this tool and the SDKs a snapshot was made with. */
export function toolVersions(): { gigafactory: string; pulumi: string; aws: string; kubernetes: string } {
  const version = (pkg: string) => (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
  return {
    gigafactory: (JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as { version: string }).version,
    pulumi: version("@pulumi/pulumi"),
    aws: version("@pulumi/aws"),
    kubernetes: version("@pulumi/kubernetes"),
  };
}
