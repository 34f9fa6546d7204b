import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LAYERS } from "../../core/blueprint/layers";
import { plannedSnapshot } from "../support/planned-stacks";
import { ROOT } from "../support/cli-run";

// Each layer's program as the Pulumi CLI runs it: @pulumi/pulumi's runner loads TypeScript through ts-node and
// type-checks unless PULUMI_NODEJS_TRANSPILE_ONLY or the `noCheck` of the tsconfig.json in the project's folder
// says otherwise (docs/sources.md#pulumi-nodejs-typescript). Type-checking every file a layer reaches costs
// ~2.5 times the CPU of the whole plan, at every preview; `tsc` in CI checks the types once.

/* eslint-disable @typescript-eslint/no-require-imports */
const tsutils = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(file: string): Record<string, unknown> };
/* eslint-enable @typescript-eslint/no-require-imports */
const DRIVER = path.join(ROOT, "test", "fixtures", "pulumi-run", "run-layer.js");

describe("a layer's program under the Pulumi CLI", () => {
  it.each(LAYERS)("%s: is TypeScript run by ts-node without type-checking, by the runner's own reading of its tsconfig.json", (layer) => {
    const dir = path.join(ROOT, "layers", layer);
    const project = parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { runtime: { name: string; options?: { typescript?: boolean } } };
    expect(project.runtime).toMatchObject({ name: "nodejs", options: { typescript: true } });
    // The runner reads the file itself, without following `extends`: noCheck must be in the layer's own file.
    expect(tsutils.loadTypeScriptCompilerOptions(path.join(dir, "tsconfig.json")).noCheck).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, "tsconfig.json"), "utf8")).extends).toBe("../../tsconfig.json");
  });

  it("the foundation layer plans through ts-node in transpile-only mode, from its folder, what the offline engine plans", async () => {
    const run = JSON.parse(
      execFileSync(process.execPath, [DRIVER, "dev", "foundation"], { cwd: path.join(ROOT, "layers", "foundation"), encoding: "utf8", env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "" } }),
    ) as { transpileOnly: boolean; kind: string; resources: number; cpuSeconds: number };
    expect(run.transpileOnly).toBe(true);
    expect(run.kind).toBe("planned");
    const offline = (await plannedSnapshot("dev")).resources.filter((r) => r.layer === "foundation").length;
    expect(run.resources).toBe(offline);
    // 4-5 s of CPU measured; type-checking the files it reaches would take several times that.
    expect(run.cpuSeconds).toBeLessThan(20);
  }, 120_000);
});
