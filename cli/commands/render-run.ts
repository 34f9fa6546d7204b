import type { RenderFolder } from "./render-folders";
import { note, type OutputOptions, writeFile } from "../output";
import { bytes, count } from "../report/format";
import * as path from "node:path";
import type { Blueprint } from "../../core/blueprint/types";
import type { FactorySpec } from "../../core/spec/schema";
import { renderMirrorScript } from "../../core/render/kubernetes/mirror-script";
import { renderSlurmdRecipe } from "../../core/render/image/slurmd-recipe";
import { renderLoginRecipe } from "../../core/render/image/login-recipe";
import { factoryCharts, factoryMirrorCopies } from "../../core/blueprint/registry";
import { chartVersions } from "../../core/blueprint/charts";
import { renderKubernetes } from "../../core/render/kubernetes/objects";
import { renderSlurm, type RenderedFile } from "../../core/render/slurm";
import { renderHealth } from "../../core/render/health";
import { renderAcceptance } from "../../core/render/acceptance";
import { renderObservability } from "../../core/render/observability";
import { designStack, isDesigned } from "../../plan/engine/design-stack";
import { EXIT_OK, InputError } from "../exit";
import { projectOf, type StackOptions } from "./stack-options";

// `gigafactory render --stack S --out DIR`: the files derived from the blueprint, written under DIR.
// Each renderer is a pure function of the validated spec and its blueprint returning files; one line
// in RENDERERS adds a folder (slurm/ now; kubernetes/ and acceptance/ take the same shape).

export interface RenderInput {
  spec: FactorySpec;
  blueprint: Blueprint;
}

export interface Renderer {
  /** The folder under --out its files go to. */
  folder: RenderFolder;
  // What would make a renderer's files fail where they are used is checked once, by designFactory.
  render(input: RenderInput): RenderedFile[];
}

export const RENDERERS: readonly Renderer[] = [
  {
    folder: "slurm",
    render: ({ blueprint }) => renderSlurm(blueprint),
  },
  {
    folder: "kubernetes",
    render: ({ spec, blueprint }) => renderKubernetes({ blueprint, priorities: spec.priorities }),
  },
  {
    folder: "images",
    // The copies into the registry, and the slurmd and login images' recipes (its build runs it; `docker build` runs it too).
    render: ({ blueprint }) => [
      renderMirrorScript(blueprint, factoryMirrorCopies(blueprint.pools, chartVersions(blueprint.charts)), factoryCharts(blueprint.pools, chartVersions(blueprint.charts))),
      ...renderSlurmdRecipe(),
      ...renderLoginRecipe(),
    ],
  },
  {
    folder: "health",
    render: ({ blueprint }) => renderHealth(blueprint),
  },
  {
    folder: "acceptance",
    render: ({ blueprint }) => renderAcceptance(blueprint),
  },
  {
    folder: "observability",
    render: ({ blueprint }) => renderObservability(blueprint),
  },
];

export interface RenderOptions extends StackOptions, OutputOptions {
  out?: string;
}

/** Every renderer's files, each path inside its renderer's folder. */
export function renderFiles(input: RenderInput, renderers: readonly Renderer[] = RENDERERS): RenderedFile[] {
  const files: RenderedFile[] = [];
  const paths = new Set<string>();
  for (const r of renderers) {
    for (const f of r.render(input)) {
      const normal = path.posix.normalize(f.path);
      if (!normal.startsWith(`${r.folder}/`) || normal.includes("..")) throw new Error(`renderer ${r.folder} wrote ${f.path}, outside its folder`);
      if (paths.has(normal)) throw new Error(`${normal} is written twice`);
      paths.add(normal);
      files.push({ ...f, path: normal });
    }
  }
  return files;
}

export function render(opts: RenderOptions): number {
  const out = opts.out;
  if (out === undefined || out === "") throw new InputError(["error --out: no folder named — pass --out <folder>, e.g. --out rendered"]);
  const design = designStack(projectOf(opts), opts.stack);
  if (!isDesigned(design)) throw new InputError(design.messages);
  const input = { spec: design.spec, blueprint: design.blueprint };
  for (const m of design.messages) process.stderr.write(`${m}\n`);

  const files = renderFiles(input);
  let written = 0;
  for (const f of files) {
    const target = path.join(out, ...f.path.split("/"));
    writeFile(target, f.content, f.mode ?? 0o644, "check that --out names a folder you can write to");
    written += Buffer.byteLength(f.content);
    // The paths on stdout, for scripts; the total on stderr, for people.
    process.stdout.write(`${target}\n`);
  }
  note(opts, { stderr: process.stderr }, `wrote ${count(files.length)} files under ${out} (${bytes(written)})`);
  return EXIT_OK;
}
