import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { RENDERERS } from "../../cli/commands/render-run";
import { RENDER_FOLDERS } from "../../cli/commands/render-folders";
import { POLICY_PACK_NAMES } from "../../policies/pack-names";
import { POLICY_PACKS } from "../../policies/packs";
import { ROOT } from "../support/cli-run";

// Each verb declares its options from small lists and loads what it runs only when it runs: `gigafactory --help`,
// `plan` and the rest do not load the policy packs, the diff or the renderers they never call.

/** The project's modules (outside node_modules) a fresh process holds after loading `module`. */
function projectModulesAfter(module: string): string[] {
  const script = `require("./bin/load-typescript").registerTypeScript(); require(${JSON.stringify(module)}); process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => !k.includes("/node_modules/")).map((k) => k.slice(${ROOT.length + 1}))))`;
  const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

describe("the command line's start", () => {
  it("names the packs and the render folders that the registries hold, in their order", () => {
    expect(POLICY_PACKS.map((p) => p.name)).toEqual([...POLICY_PACK_NAMES]);
    expect(RENDERERS.map((r) => r.folder)).toEqual([...RENDER_FOLDERS]);
  });

  it("loads no policy pack, diff, reconciliation or renderer to read the command line", () => {
    const loaded = projectModulesAfter("./cli/main.ts");
    const unwanted = loaded.filter((m) => /^(policies\/(?!pack-names)|cli\/diff\/|cli\/reconcile\/|core\/render\/)/.test(m) || /-run\.ts$/.test(m));
    expect(unwanted).toEqual([]);
    expect(loaded).toContain("cli/commands/check.ts");
  });
});
