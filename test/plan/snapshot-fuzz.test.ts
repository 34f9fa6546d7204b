import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSnapshot, readSnapshot, SnapshotError, stringifySnapshot, type PlanSnapshot } from "../../plan/snapshot";
import { runPacks } from "../../policies/harness/run";
import { POLICY_PACKS } from "../../policies/packs";
import { PlanBuilder } from "../support/snapshot-builder";

// The snapshot reader and the packs over what it accepts: any file is read, or refused with one line that says
// what to do; nothing nests without end, takes an object's internals as a key, throws a stack trace or hangs.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gf-snapshot-fuzz-"));
let n = 0;
const write = (text: string) => {
  const file = path.join(dir, `s${n++}.json`);
  fs.writeFileSync(file, text);
  return file;
};

function small(): PlanSnapshot {
  const b = new PlanBuilder();
  const aws = b.provider("aws", "default", { region: "eu-north-1" });
  b.add("aws:s3/bucket:Bucket", "data", { forceDestroy: false, tags: { team: "ml" } }, { provider: aws, protect: true, retainOnDelete: true });
  return b.snapshot();
}

function refusedInOneLine(read: () => unknown): void {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    expect((e as Error).message).toMatch(/ — /);
  }
}

describe("reading a snapshot", () => {
  it("answers any JSON value with a snapshot or a SnapshotError", () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (v) => refusedInOneLine(() => parseSnapshot(v))), { numRuns: 300 });
  });

  it("answers any file with a snapshot or one line", () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.constant("{".repeat(20_000))), (text) => refusedInOneLine(() => readSnapshot(write(text)))), { numRuns: 100 });
  });

  it("refuses inputs nested past any provider's, and keys that name an object's internals, at their JSON path", () => {
    fc.assert(
      fc.property(fc.integer({ min: 101, max: 20_000 }), fc.constantFrom("__proto__", "constructor", "prototype"), (depth, key) => {
        // Written as text: a writer would recurse as deep as the value.
        const nested = stringifySnapshot(small()).replace('"team": "ml"', `"team": ${"[".repeat(depth)}1${"]".repeat(depth)}`);
        expect(() => readSnapshot(write(nested))).toThrow(/(nests more than 100 levels deep|not valid JSON \(Maximum call stack size exceeded\)) — /);
        const text = stringifySnapshot(small()).replace('"team": "ml"', `"team": "ml", ${JSON.stringify(key)}: { "polluted": true }`);
        expect(() => readSnapshot(write(text))).toThrow(new RegExp(`resources\\[1\\]\\.inputs\\.tags\\.${key}: the key "${key}" names an object's internals — `));
      }),
      { numRuns: 20 },
    );
  });

  it("runs every pack over any inputs a snapshot accepts, without an exception and in bounded time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 6 }), { maxKeys: 8 }), async (inputs) => {
        const s = small();
        s.resources[1].inputs = { ...s.resources[1].inputs, ...inputs };
        const parsed = (() => {
          try {
            return readSnapshot(write(stringifySnapshot(s)));
          } catch (e) {
            expect(e).toBeInstanceOf(SnapshotError);
            return undefined;
          }
        })();
        if (!parsed) return;
        const started = performance.now();
        const result = await runPacks(parsed, POLICY_PACKS);
        expect(result.failures.map((f) => f.message)).toEqual([]);
        expect(performance.now() - started).toBeLessThan(10_000);
      }),
      { numRuns: 25 },
    );
  });
});
