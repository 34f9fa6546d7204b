import * as pulumi from "@pulumi/pulumi";
import { designFactoryOnce, formatFinding, STACK_DIR_ENV } from "../core/design";
import type { LayerName } from "../core/blueprint/layers";
import { declareFactoryLayer } from "../components/factory";
import { stackReferences } from "../components/layers/stack-references";
import type { LayerOutputs } from "../components/layers/exports";

/**
 * The program of one layer's stack (layers/<layer>/index.ts): config in, a validated spec and its blueprint out,
 * then the layer, reading the layers below through stack references. Its return value is the stack's outputs.
 */
export function layerProgram<L extends LayerName>(layer: L): LayerOutputs<L> {
  const { design, fresh } = designFactoryOnce({
    raw: new pulumi.Config("gigafactory").getObject<unknown>("factory"),
    region: new pulumi.Config("aws").get("region"),
    stack: pulumi.getStack(),
    stackDir: process.env[STACK_DIR_ENV] || __dirname,
  });
  // Under `gigafactory plan` the engine made this design first and reports its findings; under `pulumi up`, we do.
  if (fresh) for (const f of design.findings.filter((f) => f.level !== "error")) pulumi.log.warn(formatFinding(f));
  if (!design.spec || !design.blueprint) {
    // RunError prints its message alone: the user sees every finding with its path, not a stack trace.
    throw new pulumi.RunError(design.findings.map((f) => formatFinding(f)).join("\n"));
  }
  const project = pulumi.getProject();
  const suffix = `-${layer}`;
  if (!project.endsWith(suffix)) {
    throw new pulumi.RunError(`project ${project} runs the ${layer} layer: name it <factory project>${suffix} (layers/${layer}/Pulumi.yaml)`);
  }
  const baseProject = project.slice(0, -suffix.length);
  return declareFactoryLayer(layer, {
    spec: design.spec,
    blueprint: design.blueprint,
    below: (root) => stackReferences(baseProject, pulumi.getStack(), root),
  });
}
