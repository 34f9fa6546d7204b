import { describe, expect, it } from "vitest";
import { diffSnapshots } from "../../../cli/diff/index";
import { clipMarkdown, GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../../cli/diff/markdown";
import { factoryMermaid } from "../../../cli/diff/mermaid";
import type { PlanSnapshot } from "../../../plan/snapshot";
import { buildSnapshot, changed, gigaFactory, smallFactory } from "../../fixtures/diff/builder";
import { mermaidParse } from "../../fixtures/diff/mermaid-parse";

function review(before: PlanSnapshot, after: PlanSnapshot, budget?: number): string {
  const d = diffSnapshots(before, after);
  return renderMarkdown(d, { mermaid: factoryMermaid(before, after, d), budget });
}

function mermaidBlock(markdown: string): string {
  const m = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (!m) throw new Error("no mermaid block");
  return m[1];
}

/** Every table in the markdown is whole: a header, a separator, then rows that open and close with a pipe. */
function tablesAreWhole(markdown: string): boolean {
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith("|")) continue;
    if (!lines[i].trimEnd().endsWith("|")) return false;
    const prevIsTable = i > 0 && lines[i - 1].startsWith("|");
    if (!prevIsTable && !/^\|[-:| ]+\|$/.test(lines[i + 1] ?? "")) return false;
  }
  return true;
}

const small = smallFactory();
const smallBefore = buildSnapshot(small);

describe("gigafactory diff: the markdown review", () => {
  it("identical plans say no changes", () => {
    const md = review(smallBefore, buildSnapshot(small));
    expect(md).toContain("**No changes.**");
    expect(md).not.toContain("```mermaid");
  });

  it("names the disruption class, the factory figures before and after, and the reason", () => {
    const md = review(smallBefore, buildSnapshot(changed(small, (f) => (f.pools[1].nodes -= 8))));
    expect(md).toContain("**Disruption: `rolling`**");
    expect(md).toMatch(/\| \*\*GPUs\*\* \| 1,280 \| 1,216 \| -64 \(-5%\) \|/);
    expect(md).toContain("eks NodeGroup `af-test-train-b-su002-ng` updated (scalingConfig.desiredSize)");
    expect(tablesAreWhole(md)).toBe(true);
  });

  it("never shows a secret's value, on either side", () => {
    const plaintext = "s3cr3t-munge-plaintext";
    const md = review(smallBefore, buildSnapshot(changed(small, (f) => (f.mungeKey = plaintext))));
    expect(md).toContain("(secret changed)");
    expect(md).not.toContain(plaintext);
    expect(md).not.toContain("[secret]");
  });

  it("the picture marks what the change touches and parses with Mermaid's own parser", async () => {
    const after = buildSnapshot(changed(small, (f) => {
      f.pools[0].nodes += 32;
      f.tenants[1].gpuQuota = 384;
      f.storage.capacityTiB = 480;
    }));
    const d = diffSnapshots(smallBefore, after);
    const chart = factoryMermaid(smallBefore, after, d);
    await expect(mermaidParse(chart)).resolves.toBeTruthy();
    expect(chart).toMatch(/n_units_train_a_train_a_su004\["train-a-su004<br\/>1 unit × 32 nodes · added"\]/);
    expect(chart).toMatch(/class [^\n]*n_pool_train_a[^\n]* changed/);
    expect(chart).toMatch(/class [^\n]*n_lustre[^\n]* changed/);
    expect(chart).toContain("changed: lisbon-speech");
    expect(chart).not.toMatch(/class [^\n]*n_pool_train_b/);
    // Every edge joins nodes or groups the chart declares: no stray node drawn by a misspelt id.
    const declared = new Set([...chart.matchAll(/^\s*(?:subgraph )?(n_\w+)\[/gm)].map((m) => m[1]));
    const ends = [...chart.matchAll(/^\s*(n_\w+) --> (n_\w+)$/gm)].flatMap((m) => [m[1], m[2]]);
    expect(ends.length).toBeGreaterThan(0);
    for (const id of ends) expect(declared).toContain(id);
  });

  it("a broken chart is refused by the same parser (the check can fail)", async () => {
    await expect(mermaidParse('flowchart TB\n  a["x"] --> \n  subgraph')).rejects.toThrow();
  });

  it("is the same bytes for the same plans, whatever the order of their resources", () => {
    const after = buildSnapshot(changed(small, (f) => (f.kubernetesVersion = "1.34")));
    const shuffled = { ...after, resources: [...after.resources].reverse() };
    expect(review(smallBefore, shuffled)).toBe(review(smallBefore, after));
  });
});

describe("gigafactory diff at gigafactory scale", () => {
  const giga = gigaFactory();
  const gigaBefore = buildSnapshot(giga);

  it("plans 391 units of 32 nodes, so the scale test is the real scale", () => {
    expect(gigaBefore.blueprint.totalGpus).toBe(100_000);
    expect(gigaBefore.blueprint.scalableUnits).toBe(391);
  });

  it("a change to every unit and every tenant stays under GitHub's comment limit, folded and never cut mid-table", async () => {
    const after = buildSnapshot(changed(giga, (f) => {
      f.kubernetesVersion = "1.34";
      for (const t of f.tenants) t.gpuQuota += 8;
      f.tenants.push({ name: "newcomer", gpuQuota: 64 });
    }));
    // CPU time: the review is one synchronous pass, and a busy machine must not fail the bound.
    const started = process.cpuUsage();
    const md = review(gigaBefore, after);
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    expect(ms).toBeLessThan(2_000);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("<details>");
    expect(md).toMatch(/… and [\d,]+ more resources, left out to fit one comment/);
    expect(md).toMatch(/… and [\d,]+ more tenants, left out to fit one comment/);
    expect(tablesAreWhole(md)).toBe(true);
    expect(md).toContain("**Disruption: `rolling`**");
    await expect(mermaidParse(mermaidBlock(md))).resolves.toBeTruthy();
  });

  it("identical changes of many resources read as one row, with their count", () => {
    const after = buildSnapshot(changed(giga, (f) => (f.pools[2].instanceType = "p5en.48xlarge")));
    const md = review(gigaBefore, after);
    expect(md).toMatch(/\| `gf-test-h100-c-su001-odcr` … `gf-test-h100-c-su091-odcr` \(91\) \| ec2 CapacityReservation \| replace \| <code>instanceType<\/code>: <code>"p5.48xlarge"<\/code> → <code>"p5en.48xlarge"<\/code> \|/);
    expect(md).toContain("- 91 × ec2 CapacityReservation replaced (instanceType), e.g. `gf-test-h100-c-su001-odcr`");
    expect(md).toContain("also `rolling`: 91 × ec2 LaunchTemplate updated");
  });

  it("a smaller budget is kept too", () => {
    const after = buildSnapshot(changed(giga, (f) => (f.kubernetesVersion = "1.34")));
    const md = review(gigaBefore, after, 20_000);
    expect(md.length).toBeLessThan(20_000);
    expect(tablesAreWhole(md)).toBe(true);
  });
});

describe("clipping a report to fit", () => {
  it("keeps whole blocks and says how many it left out", () => {
    const report = ["# report", "", "| a | b |", "|---|---|", "| 1 | 2 |", "", "```", "code", "", "more code", "```", "", "last paragraph"].join("\n");
    const clipped = clipMarkdown(report, 60);
    expect(clipped).toContain("| 1 | 2 |");
    expect(clipped).not.toContain("last paragraph");
    expect(clipped).toMatch(/… 2 more blocks of the report left out/);
    expect(clipMarkdown(report, 10_000)).toBe(report);
  });
});
