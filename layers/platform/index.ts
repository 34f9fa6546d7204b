import { layerProgram } from "../../stacks/layer";

// The platform layer's program: its exports are the stack's outputs, read by the layers above.
export = layerProgram("platform");
