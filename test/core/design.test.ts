import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { designFactory, designFactoryOnce, type DesignInput } from "../../core/design";
import { loadStack } from "../../core/spec/load";
import { CONFIG_KEY } from "../../core/spec/schema";
import { ROOT } from "../support/cli-run";

// The design is made once per process: `gigafactory plan` designs the stack, then the program asks for the same
// design and gets it, so the sizing runs once and its findings are reported once.

const STACKS = join(ROOT, "stacks");
const stackInput = (stack: string): DesignInput => {
  const config = loadStack(STACKS, stack).config;
  return { raw: config[CONFIG_KEY], region: config["aws:region"] as string, stack, stackDir: STACKS };
};
/** The same input under another factory name. */
const named = (input: DesignInput, name: string): DesignInput => ({ ...input, raw: { ...(input.raw as object), name } });
/** The same value with every object's keys in reverse order, as another reader of the same YAML might build it. */
const reordered = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reordered);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
  return value;
};

describe("the design of a stack", () => {
  it("is made once however often the same input asks for it, whatever order its keys come in", () => {
    // A name no other test designs: the first ask makes it, whatever this process designed before.
    const input = named(stackInput("dev"), "gf-once");
    const first = designFactoryOnce(input);
    const again = designFactoryOnce({ ...input, raw: reordered(input.raw) });
    expect(first.fresh).toBe(true);
    expect(again.fresh).toBe(false);
    expect(again.design).toBe(first.design);
    expect(first.design.blueprint?.factory).toBe("gf-once");
  });

  it("is made anew for another stack, another region or another spec", () => {
    const dev = named(stackInput("dev"), "gf-anew");
    const made = designFactoryOnce(dev).design;
    const others = [stackInput("ai-factory"), { ...dev, region: "eu-central-1" }, named(dev, "gf-other")].map((input) => designFactoryOnce(input));
    expect(others.map((o) => o.fresh)).toEqual([true, true, true]);
    expect([others[0], others[2]].map((o) => o.design.blueprint?.factory)).toEqual(["af-iberia", "gf-other"]);
    for (const other of others) expect(other.design).not.toBe(made);
  });

  it("is made anew when the tenants file it reads changes, even under the same stack file", () => {
    const dir = mkdtempSync(join(tmpdir(), "gf-design-once-"));
    const dev = stackInput("dev");
    const { tenants, ...raw } = dev.raw as Record<string, unknown>;
    const input: DesignInput = { ...dev, raw: { ...raw, tenantsFile: "tenants.dev.yaml" }, stackDir: dir };
    const tenantsYaml = (quota: number) =>
      `tenants:\n${Object.entries(tenants as Record<string, object>)
        .map(([name, t], i) => `  ${name}: ${JSON.stringify({ ...t, ...(i === 0 ? { gpuQuota: quota } : {}) })}`)
        .join("\n")}\n`;
    writeFileSync(join(dir, "tenants.dev.yaml"), tenantsYaml(8));
    const before = designFactoryOnce(input);
    expect(before.design.blueprint, JSON.stringify(before.design.findings)).toBeDefined();
    expect(designFactoryOnce(input).fresh).toBe(false);
    writeFileSync(join(dir, "tenants.dev.yaml"), tenantsYaml(4));
    const after = designFactoryOnce(input);
    expect(after.fresh).toBe(true);
    expect(after.design.blueprint!.tenants.map((t) => t.gpuQuota)).not.toEqual(before.design.blueprint!.tenants.map((t) => t.gpuQuota));
  });

  it("is shared frozen, so neither the engine nor the program can change what the other reads", () => {
    const { design } = designFactoryOnce(stackInput("dev"));
    expect(() => design.blueprint!.units.push(design.blueprint!.units[0])).toThrow(TypeError);
    expect(() => {
      design.blueprint!.pools[0].nodes = 1;
    }).toThrow(TypeError);
  });

  it("is made every time by designFactory, which remembers nothing (what the benchmark times)", () => {
    const first = designFactory(stackInput("dev"));
    const second = designFactory(stackInput("dev"));
    expect(second).not.toBe(first);
    expect(second.blueprint).not.toBe(first.blueprint);
    expect(second.blueprint).toEqual(first.blueprint);
  });
});
