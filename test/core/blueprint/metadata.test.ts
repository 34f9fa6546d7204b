import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  automaticMetadataIops,
  isValidMetadataIops,
  LUSTRE_METADATA_IOPS_MAX,
  planMetadata,
  type MetadataInput,
} from "../../../core/blueprint/metadata";

const input = (over: Partial<MetadataInput>): MetadataInput => ({
  totalGpus: 1024,
  checkpointSeconds: 120,
  datasetTB: 100,
  requiredReadMBps: 1024 * 2,
  capacityGiB: 240_000,
  ...over,
});

describe("Lustre metadata sized for the files training touches", () => {
  it("gives AUTOMATIC the figures FSx documents for each capacity", () => {
    expect([1200, 2400, 4800, 9600, 12_000, 45_600, 48_000, 72_000, 384_000, 1_996_800].map(automaticMetadataIops)).toEqual([
      1500, 3000, 6000, 6000, 12_000, 12_000, 24_000, 36_000, 192_000, 192_000,
    ]);
  });

  it("keeps AUTOMATIC when the capacity's metadata IOPS serve the dataset and the checkpoints", () => {
    const { metadata, findings } = planMetadata(input({ datasetFiles: 400_000 }));
    expect(findings).toEqual([]);
    expect(metadata).toMatchObject({ mode: "AUTOMATIC", iops: 120_000, choice: "from-objectives", datasetFilesSource: "spec" });
    // 100 TB in 400,000 files is 250 MB a file, read at 2,048 MB/s: 8.2 files a second; 1,024 checkpoint files in 120 s.
    expect(metadata.requiredIops).toBe(Math.ceil((2048 / 250 + 1024 / 120) * 1.25));
    expect(metadata.epochSeconds).toBe(Math.round(100e6 / 2048));
  });

  it("provisions more than AUTOMATIC for a dataset of small files on a small file system", () => {
    // 1 TB of 100 KB images read at 4 GB/s: 40,000 opens a second, far above AUTOMATIC's 3,000 at 2,400 GiB.
    const { metadata, findings } = planMetadata(input({ datasetTB: 1, datasetFiles: 10_000_000, requiredReadMBps: 4000, capacityGiB: 2400 }));
    expect(findings).toEqual([]);
    expect(metadata.mode).toBe("USER_PROVISIONED");
    expect(metadata.iops).toBe(60_000);
    expect(metadata.requiredIops).toBeGreaterThan(metadata.automaticIops);
  });

  it("refuses a dataset whose files no file system can open fast enough, and says how many files would do", () => {
    const over = input({ datasetTB: 10, datasetFiles: 1e9, requiredReadMBps: 200_000 });
    const { findings } = planMetadata(over);
    expect(findings).toEqual([expect.objectContaining({ level: "error", path: "gigafactory:factory.storage.datasetFiles" })]);
    const files = Number(/at most ([\d,]+) files/.exec(findings[0].hint)![1].replace(/,/g, ""));
    expect(planMetadata({ ...over, datasetFiles: files }).findings).toEqual([]);
    expect(planMetadata({ ...over, datasetFiles: files * 1.1 }).findings).not.toEqual([]);
  });

  it("blames the checkpoint window when the shards of one checkpoint cannot be created in time", () => {
    const over = input({ totalGpus: 100_000, checkpointSeconds: 0.5, datasetTB: 0 });
    const { findings } = planMetadata(over);
    expect(findings).toEqual([expect.objectContaining({ level: "error", path: "gigafactory:factory.storage.checkpoint.seconds" })]);
    const seconds = Number(/at least ([\d,]+)/.exec(findings[0].hint)![1].replace(/,/g, ""));
    expect(planMetadata({ ...over, checkpointSeconds: seconds }).findings).toEqual([]);
  });

  it("holds a pinned figure to the objectives and names the one that is enough", () => {
    const { metadata, findings } = planMetadata(input({ datasetTB: 1, datasetFiles: 10_000_000, requiredReadMBps: 4000, capacityGiB: 2400, pinnedIops: 12_000 }));
    expect(metadata).toMatchObject({ mode: "USER_PROVISIONED", iops: 12_000, choice: "pinned" });
    expect(findings).toEqual([expect.objectContaining({ level: "error", path: "gigafactory:factory.storage.lustre.metadataIops", hint: "use 60,000, or leave it out to size it from the objectives" })]);
  });

  it("assumes 256 MB shards when the spec gives no file count, and says so", () => {
    const { metadata } = planMetadata(input({}));
    expect(metadata).toMatchObject({ datasetFilesSource: "assumed", datasetFiles: Math.ceil(100e6 / 256) });
  });

  it("for any objectives, provisions a figure FSx accepts that serves them, or says what to change (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          totalGpus: fc.integer({ min: 0, max: 200_000 }),
          checkpointSeconds: fc.double({ min: 0.01, max: 7200, noNaN: true }),
          datasetTB: fc.double({ min: 0, max: 5000, noNaN: true }),
          datasetFiles: fc.option(fc.integer({ min: 1, max: 2e10 }), { nil: undefined }),
          requiredReadMBps: fc.double({ min: 0, max: 2e6, noNaN: true }),
          capacityGiB: fc.constantFrom(1200, 2400, 4800, 24_000, 48_000, 480_000, 1_996_800),
          pinnedIops: fc.option(fc.constantFrom(1500, 3000, 6000, 12_000, 96_000, 192_000), { nil: undefined }),
        }),
        (o) => {
          const { metadata: m, findings } = planMetadata(o);
          expect(isValidMetadataIops(m.iops)).toBe(true);
          if (findings.length > 0) {
            expect(findings.every((f) => f.level === "error" && f.path.startsWith("gigafactory:factory.storage."))).toBe(true);
            expect(m.requiredIops > m.iops || m.requiredIops > LUSTRE_METADATA_IOPS_MAX).toBe(true);
            return;
          }
          expect(m.iops).toBeGreaterThanOrEqual(m.requiredIops);
          expect(m.mode === "AUTOMATIC" ? m.iops === automaticMetadataIops(o.capacityGiB) : true).toBe(true);
          if (o.pinnedIops !== undefined) expect(m).toMatchObject({ mode: "USER_PROVISIONED", iops: o.pinnedIops });
          // The objectives pick USER_PROVISIONED only when AUTOMATIC is not enough.
          else if (m.mode === "USER_PROVISIONED") expect(m.requiredIops).toBeGreaterThan(m.automaticIops);
        },
      ),
      { numRuns: 500 },
    );
  });
});
