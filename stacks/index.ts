import * as pulumi from "@pulumi/pulumi";
import { LAYERS, LAYER_PURPOSE } from "../core/blueprint/layers";

// This project holds the stack files (stacks/Pulumi.<stack>.yaml) that every layer reads; the factory itself is
// deployed as one stack per layer, each its own project in layers/<layer>, in order.
const steps = LAYERS.map((layer, i) => `  ${i + 1}. cd layers/${layer} && pulumi up --stack ${pulumi.getStack()}   (${LAYER_PURPOSE[layer]})`);
throw new pulumi.RunError(
  [`gigafactory deploys one stack per layer, not this project: run each layer's project, in order:`, ...steps, "See the README, \"Running it for real\"."].join("\n"),
);
