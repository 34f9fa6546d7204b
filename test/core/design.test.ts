import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { buildBlueprint } from "../../core/blueprint";
import { designFactory, designFactoryOnce, type DesignInput } from "../../core/design";
import { loadStack } from "../../core/spec/load";
import { CONFIG_KEY } from "../../core/spec/schema";
import { ROOT } from "../support/cli-run";

// The design is made once per process: `gigafactory plan` designs the stack, then the program asks for the same
// design and gets it, so the sizing runs once and its findings are reported once.

vi.mock("../../core/blueprint", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../core/blueprint")>();
  return { ...real, buildBlueprint: vi.fn(real.buildBlueprint) };
});
const sizings = vi.mocked(buildBlueprint);

const STACKS = join(ROOT, "stacks");
const stackInput = (stack: string): DesignInput => {
  const config = loadStack(STACKS, stack).config;
  return { raw: config[CONFIG_KEY], region: config["aws:region"] as string, stack, stackDir: STACKS };
};
/** The same value with every object's keys in reverse order, as another reader of the same YAML might build it. */
const reordered = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reordered);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
  return value;
};

beforeEach(() => {
  sizings.mockClear();
});

describe("the design of a stack", () => {
  it("is made once however often the same input asks for it, whatever order its keys come in", () => {
    const first = designFactoryOnce(stackInput("dev"));
    const again = designFactoryOnce({ ...stackInput("dev"), raw: reordered(stackInput("dev").raw) });
    expect(first.fresh).toBe(true);
    expect(again.fresh).toBe(false);
    expect(again.design).toBe(first.design);
    expect(first.design.blueprint?.factory).toBe("gf-dev");
    expect(sizings).toHaveBeenCalledTimes(1);
  });

  it("is made anew for another stack, another region or another spec", () => {
    const dev = stackInput("dev");
    designFactoryOnce(dev);
    sizings.mockClear();
    expect(designFactoryOnce(stackInput("ai-factory")).fresh).toBe(true);
    expect(designFactoryOnce({ ...dev, region: "eu-central-1" }).fresh).toBe(true);
    expect(designFactoryOnce({ ...dev, raw: { ...(dev.raw as object), name: "gf-other" } }).fresh).toBe(true);
    expect(sizings).toHaveBeenCalledTimes(2);
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
    designFactory(stackInput("dev"));
    designFactory(stackInput("dev"));
    expect(sizings).toHaveBeenCalledTimes(2);
  });
});
