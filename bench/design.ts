import { performance } from "node:perf_hooks";
import { designFactory } from "../core/design";
import { loadStack } from "../core/spec/load";
import { CONFIG_KEY } from "../core/spec/schema";
import { median } from "./measure";

// The pure front alone: validate and size one stack's spec, in this process, after a warm-up.

export function timeDesign(stackDir: string, stack: string, runs = 20): { medianMs: number; ok: boolean } {
  const loaded = loadStack(stackDir, stack);
  const region = loaded.config["aws:region"];
  const input = { raw: loaded.config[CONFIG_KEY], region: typeof region === "string" ? region : undefined, stack, stackDir };
  let ok = false;
  for (let i = 0; i < 3; i++) ok = designFactory(input).blueprint !== undefined;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    designFactory(input);
    times.push(performance.now() - start);
  }
  return { medianMs: median(times), ok };
}
