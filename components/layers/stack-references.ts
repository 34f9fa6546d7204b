import * as pulumi from "@pulumi/pulumi";
import { type LayerName, layerStackName } from "../../core/blueprint/layers";
import type { Below, LayerExports } from "./exports";

/**
 * The layers below, read through one stack reference each (`<organization>/<project>-<layer>/<stack>`), made when first
 * read. `requireOutput` fails the deployment when a lower layer has not been deployed or lacks the output, rather than
 * carrying an undefined into a resource.
 */
export function stackReferences(baseProject: string, stack: string, parent: pulumi.Resource): Below {
  const refs = new Map<LayerName, pulumi.StackReference>();
  const ref = (layer: LayerName) => {
    let r = refs.get(layer);
    if (!r) {
      r = new pulumi.StackReference(`${baseProject}-${layer}`, { name: layerStackName(pulumi.getOrganization(), baseProject, layer, stack) }, { parent });
      refs.set(layer, r);
    }
    return r;
  };
  return {
    get<L extends LayerName, K extends keyof LayerExports[L] & string>(layer: L, key: K) {
      return ref(layer).requireOutput(key) as pulumi.Output<LayerExports[L][K]>;
    },
  };
}
