import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ignoringCase, publishedSchemas, STACK_SCHEMA_FILE, TENANTS_SCHEMA_FILE } from "../../../core/spec/json-schema";
import { ROOT } from "../../support/cli-run";

// The JSON Schemas an editor checks a stack file with: generated from the zod schema, published under schema/,
// and every stack of the repository valid against them.

const SCHEMA_DIR = path.join(ROOT, "schema");
const STACK_DIR = path.join(ROOT, "stacks");
const published = (file: string) => JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), "utf8")) as Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: true });
const stackFile = ajv.compile(published(STACK_SCHEMA_FILE));
const tenantsFile = ajv.compile(published(TENANTS_SCHEMA_FILE));
const yamlOf = (file: string) => parse(readFileSync(path.join(STACK_DIR, file), "utf8")) as Record<string, unknown>;

describe("the published JSON Schemas", () => {
  it("are what the zod schema generates today — rewrite them with `gigafactory schema --out schema`", () => {
    for (const { file, text } of publishedSchemas()) expect(readFileSync(path.join(SCHEMA_DIR, file), "utf8"), file).toBe(text);
  });

  it("accept every stack file and tenants file of the repository, and each names its schema for editors", () => {
    const files = readdirSync(STACK_DIR).filter((f) => f.endsWith(".yaml"));
    const stacks = files.filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    expect(stacks.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      const check = stacks.includes(f) ? stackFile : tenantsFile;
      expect(check(yamlOf(f)) ? [] : check.errors, f).toEqual([]);
      const schema = stacks.includes(f) ? STACK_SCHEMA_FILE : TENANTS_SCHEMA_FILE;
      expect(readFileSync(path.join(STACK_DIR, f), "utf8").split("\n")[0], f).toBe(`# yaml-language-server: $schema=../schema/${schema}`);
    }
  });

  it("reject what the loader rejects: an unknown key, a wrong enum, a bad pool name, a tenant without its quota", () => {
    const dev = yamlOf("Pulumi.dev.yaml") as { config: { "gigafactory:factory": Record<string, unknown> } };
    const spec = dev.config["gigafactory:factory"];
    const variants: [string, Record<string, unknown>][] = [
      ["unknown key", { ...spec, poolz: {} }],
      ["preset", { ...spec, preset: "mega" }],
      ["pool name", { ...spec, pools: { Train_1: (spec.pools as Record<string, unknown>).try } }],
      ["no preset", Object.fromEntries(Object.entries(spec).filter(([k]) => k !== "preset"))],
    ];
    for (const [what, factory] of variants) expect(stackFile({ config: { ...dev.config, "gigafactory:factory": factory } }), what).toBe(false);
    expect(stackFile({ config: { "aws:region": "eu-north-1" } }), "no factory").toBe(false);
    expect(tenantsFile({ tenants: { acme: { gpuQuota: "lots" } } })).toBe(false);
  });

  it("keep a case-insensitive pattern case-insensitive (JSON Schema patterns take no flags)", () => {
    const pattern = new RegExp(ignoringCase("^\\s*\\d+(\\.\\d+)?\\s*[KMBGT]\\s*$"));
    for (const ok of ["70B", "70b", " 1.5 t ", "8K"]) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ["70x", "B", "70 BB"]) expect(pattern.test(bad), bad).toBe(false);
    expect(new RegExp(`^${ignoringCase("ab\\d[x-z]")}$`).test("AB1Y")).toBe(true);
  });
});
