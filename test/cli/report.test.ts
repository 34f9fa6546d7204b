import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { Blueprint } from "../../core/blueprint/types";
import { designFactory } from "../../core/design";
import { loadStack } from "../../core/spec/load";
import { CONFIG_KEY } from "../../core/spec/schema";
import { bytes, count, eur, fixed, percent } from "../../cli/report/format";
import { renderMarkdown } from "../../cli/report/markdown";
import { planReport } from "../../cli/report/model";
import { renderText } from "../../cli/report/text";
import type { PlanSnapshot } from "../../plan/snapshot";
import { PlanBuilder } from "../support/snapshot-builder";

// The plan report reads the blueprint and the snapshot only; text and markdown say the same things.

const STACKS = path.resolve(__dirname, "../..", "stacks");

function designed(stack: string, edit: (raw: any) => void = () => {}): { spec: Record<string, unknown>; blueprint: Blueprint; findings: PlanSnapshot["findings"] } {
  const loaded = loadStack(STACKS, stack);
  const raw = structuredClone(loaded.config[CONFIG_KEY]);
  edit(raw);
  const d = designFactory({ raw, region: loaded.config["aws:region"] as string, stack, stackDir: STACKS });
  if (!d.blueprint || !d.spec) throw new Error(`stack ${stack} does not design: ${d.findings.map((f) => f.message).join("; ")}`);
  return { spec: d.spec as unknown as Record<string, unknown>, blueprint: d.blueprint, findings: d.findings.filter((f) => f.level !== "error") };
}

function snapshotOf(stack: string, edit?: (raw: any) => void): PlanSnapshot {
  const d = designed(stack, edit);
  const b = new PlanBuilder({}, stack);
  b.add("aws:ec2/subnet:Subnet", "a");
  b.add("aws:ec2/subnet:Subnet", "b");
  b.add("aws:ec2/vpc:Vpc", "v");
  return b.snapshot({
    tool: { gigafactory: "0.1.0", pulumi: "3", aws: "7", kubernetes: "4" },
    spec: d.spec,
    blueprint: d.blueprint as unknown as PlanSnapshot["blueprint"],
    findings: [...d.findings, { path: "gigafactory:factory.pools.try.nodes", level: "warning", message: "a warning the spec gave", hint: "what to do about it" }],
  });
}

describe("the plan report", () => {
  const snapshot = snapshotOf("dev");
  const bp = snapshot.blueprint as unknown as Blueprint;
  const report = planReport({ snapshot, warnings: ["warning: data source x:y:z has no offline answer"] });
  const text = renderText(report);
  const markdown = renderMarkdown(report);

  it("leads with the factory, its region, GPUs, nodes, scalable units, power and cost marked as an estimate", () => {
    const head = text.split("\nPools")[0];
    expect(head).toContain(bp.factory);
    expect(head).toContain(bp.region);
    expect(head).toMatch(new RegExp(`GPUs\\s+${count(bp.totalGpus)}\\n`));
    expect(head).toMatch(new RegExp(`nodes\\s+${count(bp.nodes)}\\n`));
    expect(head).toMatch(new RegExp(`scalable units\\s+${count(bp.scalableUnits)} `));
    expect(head).toContain(eur(bp.costPerHourEUR));
    expect(head).toMatch(/per month \(estimate/);
  });

  it("has one pools row per pool with its type, zone, nodes, GPUs and units", () => {
    for (const p of bp.pools) {
      const row = text.split("\n").find((l) => l.trim().startsWith(`${p.name} `) && l.includes(p.instanceType));
      expect(row, p.name).toBeDefined();
      expect(row).toContain(p.availabilityZone);
      expect(row).toContain(count(p.gpus));
      expect(row).toContain(`${p.units.length} x ${p.unitNodes}`);
      expect(row).toContain(p.capacity.source);
    }
  });

  it("lists exactly the quotas above AWS's default under the quotas to raise", () => {
    const section = report.sections.find((s) => s.title === "Service quotas to raise");
    const raise = bp.quotas.filter((q) => q.raise);
    expect(section?.tables[0]?.rows.length ?? 0).toBe(raise.length);
    for (const q of raise) expect(text).toContain(q.quotaCode);
  });

  it("counts resources by type, adding up to every resource", () => {
    const section = report.sections.find((s) => s.title.startsWith("Resources"));
    const rows = section?.tables[0].rows ?? [];
    expect(rows[0]).toEqual(["aws:ec2/subnet:Subnet", "2"]);
    expect(rows.reduce((sum, r) => sum + Number(r[1]), 0)).toBe(snapshot.resources.length);
  });

  it("shows the addresses used against those usable and the storage objective against what is achieved", () => {
    expect(text).toContain(`${count(bp.network.addressesNeeded)} used of ${count(bp.network.addressesUsable)} usable`);
    expect(text).toContain(`achieved ${fixed(bp.storage.checkpointSeconds, 1)} s`);
  });

  it("says whether the file system has EFA, a choice fixed when it is created", () => {
    // dev's small file system stays on TCP; the gigafactory's needs EFA and GPUDirect Storage.
    expect(bp.storage.efaEnabled).toBe(false);
    expect(text).toMatch(/EFA\s+off: TCP clients \(fixed at creation/);
    const gigafactory = renderText(planReport({ snapshot: snapshotOf("gigafactory"), warnings: [] }));
    expect(gigafactory).toMatch(/EFA\s+on: GPU nodes reach it over LNet on their EFA interfaces \(fixed at creation/);
  });

  it("says who chose EFA, how metadata is provisioned and what the files need of it", () => {
    // Every stack pins EFA; dev's few files are served by FSx's automatic mode at its capacity.
    expect(text).toMatch(/EFA choice\s+pinned by storage\.lustre\.efa/);
    expect(text).toMatch(/metadata\s+AUTOMATIC: 3,000 IOPS at this capacity, scaled by FSx as it grows/);
    expect(text).toMatch(/metadata needed\s+1 IOPS: 4,000 dataset files read in an epoch of [\d,]+ s; 16 checkpoint files per checkpoint/);
    const metadata = { ...bp.storage.metadata, mode: "USER_PROVISIONED", iops: 24_000, choice: "from-objectives", datasetFilesSource: "assumed" };
    const unpinned = { ...bp, storage: { ...bp.storage, efaChoice: "from-throughput", metadata } };
    const other = renderText(planReport({ snapshot: { ...snapshotOf("dev"), blueprint: unpinned as any }, warnings: [] }));
    expect(other).toMatch(/EFA choice\s+chosen from the throughput: pin it with storage\.lustre\.efa/);
    expect(other).toMatch(/metadata\s+USER_PROVISIONED, 24,000 IOPS \(more than AUTOMATIC's 3,000 at this capacity\); can be raised, never lowered/);
    expect(other).toMatch(/\(assumed 256 MB shards: set storage\.datasetFiles\)/);
  });

  it("ends with the spec's warnings and the engine's", () => {
    const warnings = text.split("\nWarnings\n")[1];
    expect(warnings).toContain("warning gigafactory:factory.pools.try.nodes: a warning the spec gave — what to do about it");
    expect(warnings).toContain("data source x:y:z has no offline answer");
  });

  it("renders the same sections as markdown tables a pull request shows", () => {
    for (const s of report.sections) expect(markdown).toContain(`## ${s.title}`);
    const blocks = markdown.split("\n\n").filter((b) => b.startsWith("|"));
    expect(blocks.length).toBeGreaterThan(3);
    for (const block of blocks) {
      const lines = block.trim().split("\n");
      const cells = (l: string) => l.replace(/\\\|/g, "").split("|").length;
      expect(lines[1]).toMatch(/^\|( -{3}:? \|)+$/);
      for (const l of lines) expect(cells(l)).toBe(cells(lines[0]));
    }
  });
});

describe("report number formats", () => {
  it("groups thousands and keeps a fixed number of decimals on every machine", () => {
    expect(fixed(1234567.891, 1)).toBe("1,234,567.9");
    expect(fixed(-1234.5, 0)).toBe("-1,235");
    expect(count(100000)).toBe("100,000");
    expect(percent(0.8)).toBe("80.0%");
    expect(eur(12.5)).toBe("EUR 12.50");
    expect(eur(75259.3)).toBe("EUR 75,259");
  });

  it("writes bytes in the largest decimal unit", () => {
    expect(bytes(14e12)).toBe("14.0 TB");
    expect(bytes(112e9)).toBe("112 GB");
    expect(bytes(512)).toBe("512 B");
  });
});

describe("the plan report's placement column", () => {
  const placementOf = (stack: string, edit?: (raw: any) => void) => {
    const snapshot = snapshotOf(stack, edit);
    const text = renderText(planReport({ snapshot, warnings: [] }));
    return (snapshot.blueprint as unknown as Blueprint).pools.map((p) => text.split("\n").find((l) => l.trim().startsWith(`${p.name} `) && l.includes(p.instanceType))!);
  };

  it("says a placement group serves one unit while each node group holds one unit", () => {
    for (const row of placementOf("dev")) expect(row).toMatch(/cluster group per unit$/);
  });

  it("says a placement group serves a node group of several units when the groups hold several", () => {
    // The gigafactory's pools on on-demand capacity in cluster placement groups (a warning, not an error).
    const onDemand = (raw: any) => {
      for (const p of Object.values<any>(raw.pools)) p.capacity = { source: "on-demand" };
    };
    for (const row of placementOf("gigafactory", onDemand)) expect(row).toMatch(/cluster group per node group \(up to 14 units\)$/);
  });

  it("says none where pools run on delivered reservations, and lists each reservation with the units and node groups on it", () => {
    const snapshot = snapshotOf("gigafactory");
    const bp = snapshot.blueprint as unknown as Blueprint;
    const text = renderText(planReport({ snapshot, warnings: [] }));
    for (const row of placementOf("gigafactory")) expect(row).toMatch(/odcr: \d+ delivered reservations?, [\d,]+ instances\s+none$/);
    for (const p of bp.pools) {
      if (p.capacity.source !== "odcr" || !p.capacity.reservations) throw new Error(`${p.name} names no reservations`);
      for (const r of p.capacity.reservations) {
        const name = r.reservationId ?? r.resourceGroupArn!;
        const row = text.split("\n").find((l) => l.includes(` ${name} `));
        const units = bp.units.filter((u) => u.capacityReservationId === name || u.capacityReservationGroupArn === name);
        expect(row, name).toMatch(new RegExp(`^\\s+${p.name}\\s+${name}\\s+ODCR (group )?\\(delivered\\)\\s+${r.availabilityZoneId}\\s+${count(r.instances)}\\s+${count(r.instances)}\\s+${units.length}\\s+${new Set(units.map((u) => u.nodeGroup)).size}$`));
      }
    }
  });
});
