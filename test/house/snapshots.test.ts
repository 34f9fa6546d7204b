import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli-run";
import { plannedSnapshot } from "../support/planned-stacks";
import { houseRecords, readHouseRecords, writeHouseRecords, type HouseRecord } from "../support/house-records";

// The house may be rebuilt, the factory may not change by it: every stack plans to the same resources, each with
// the same layer, type, name, inputs and options as the records kept in test/fixtures/house.
// A change that is meant to change resources writes new records: GIGAFACTORY_HOUSE_RECORDS=write npm test -- test/house

const STACKS = ["dev", "ai-factory", "gigafactory"];
const RECORDS_DIR = join(ROOT, "test", "fixtures", "house");

function differences(before: Record<string, HouseRecord>, after: Record<string, HouseRecord>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(before)) if (!(k in after)) out.push(`gone: ${k}`);
  for (const k of Object.keys(after)) if (!(k in before)) out.push(`new: ${k}`);
  for (const [k, was] of Object.entries(before)) {
    const now = after[k];
    if (!now) continue;
    if (now.digest !== was.digest) out.push(`inputs or options changed: ${k}`);
    if (now.parent !== was.parent) out.push(`parent ${was.parent} → ${now.parent}: ${k}`);
  }
  return out;
}

describe.each(STACKS)("the %s stack after the house is rebuilt", (stack) => {
  it("plans the same resources with the same inputs and options", { timeout: 600_000 }, async () => {
    const after = houseRecords(await plannedSnapshot(stack));
    const file = join(RECORDS_DIR, `${stack}.json.gz`);
    if (process.env.GIGAFACTORY_HOUSE_RECORDS === "write") writeHouseRecords(file, after);
    const before = readHouseRecords(file);
    expect(before, `no records in ${file}`).toBeDefined();
    const found = differences(before!, after);
    expect(found.slice(0, 40), `${found.length} difference(s)`).toEqual([]);
  });
});
