import type * as pulumi from "@pulumi/pulumi";
import type { LayerName } from "../core/blueprint/layers";
import type { ProvisionableBlueprint } from "../core/blueprint/provisionable";
import type { FactorySpec } from "../core/spec/schema";
import type { Below, LayerOutputs } from "./layers/exports";
import { GigaFactory } from "./layers/root";
import { declareFoundation } from "./layers/foundation";
import { declareData } from "./layers/data";
import { declareCompute } from "./layers/compute";
import { declarePlatform } from "./layers/platform";
import { declareTenants } from "./layers/tenants";

export { GigaFactory };

export interface FactoryLayerArgs {
  spec: FactorySpec;
  blueprint: ProvisionableBlueprint;
  /** Reads the layers below (stack references under `pulumi up`). */
  below: (root: GigaFactory) => Below;
}

const DECLARE: { [L in LayerName]: (root: GigaFactory, args: { spec: FactorySpec; blueprint: ProvisionableBlueprint; below: Below }) => LayerOutputs<L> } = {
  foundation: declareFoundation,
  data: declareData,
  compute: declareCompute,
  platform: declarePlatform,
  tenants: declareTenants,
};

/**
 * One layer of the factory (core/blueprint/layers.ts) under its root: what the layer's stack declares, and the
 * outputs it exports for the layers above.
 */
export function declareFactoryLayer<L extends LayerName>(layer: L, args: FactoryLayerArgs, opts?: pulumi.ComponentResourceOptions): LayerOutputs<L> {
  const root = new GigaFactory(args.spec.name, args.spec, args.blueprint, opts);
  return DECLARE[layer](root, { spec: args.spec, blueprint: args.blueprint, below: args.below(root) }) as LayerOutputs<L>;
}
