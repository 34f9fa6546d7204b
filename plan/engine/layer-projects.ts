import { existsSync } from "node:fs";
import * as path from "node:path";
import { LAYERS, LAYERS_FOLDER, type LayerName, layerProject } from "../../core/blueprint/layers";
import { ProjectError, type PulumiProject, readProject } from "./project";

// The factory's layers are Pulumi projects of their own beside the one that holds the stack files:
// `layers/<layer>/Pulumi.yaml`, named `<project>-<layer>`, reading the same stack files.


/**
 * The layer projects of a project folder, or undefined for a folder without `layers/`: a project of one stack (its
 * own program, `main` of its Pulumi.yaml), planned as such.
 */
export function readLayerProjects(root: PulumiProject): Record<LayerName, PulumiProject> | undefined {
  if (!existsSync(path.join(root.dir, LAYERS_FOLDER))) return undefined;
  const out = {} as Record<LayerName, PulumiProject>;
  for (const layer of LAYERS) {
    const project = readProject(path.join(root.dir, LAYERS_FOLDER, layer));
    const expected = layerProject(root.name, layer);
    const file = path.join(root.dir, LAYERS_FOLDER, layer, "Pulumi.yaml");
    if (project.name !== expected) throw new ProjectError(`${file}: name is ${project.name} — name the ${layer} layer's project ${expected}`);
    if (project.stackDir !== root.stackDir) {
      throw new ProjectError(`${file}: stackConfigDir is ${project.stackDir} — point it at ${path.relative(project.dir, root.stackDir)}, where every layer's stack files are`);
    }
    out[layer] = project;
  }
  return out;
}
