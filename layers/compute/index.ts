import { layerProgram } from "../../stacks/layer";

// The compute layer's program: its exports are the stack's outputs, read by the layers above.
export = layerProgram("compute");
