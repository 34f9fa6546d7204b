import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { diffSnapshots } from "../../cli/diff/index";
import { reconcile } from "../../cli/reconcile/index";
import { renderReconcileMarkdown } from "../../cli/reconcile/markdown";
import { parsePreview, PreviewError, urnParts } from "../../cli/reconcile/preview";
import { stableStringify } from "../../plan/snapshot";
import { buildSnapshot, changed, smallFactory } from "../fixtures/diff/builder";
import { gigafactoryInProcess, ROOT, tempDir } from "../support/cli-run";

// `pulumi preview --json` (Pulumi's PreviewDigest) beside the offline diff of the same change. The fixture is the
// real engine's answer to: Kubernetes 1.33 → 1.34, pool train-b shrunk by a unit, Lustre throughput 500 → 1000
// MB/s/TiB, where the provider replaces the file system the offline table updates in place, and the shrunk unit's
// placement group was never deployed.

const FIXTURE = path.join(ROOT, "test", "fixtures", "reconcile", "preview-ai-factory.json");
const before = buildSnapshot(smallFactory());
const after = buildSnapshot(
  changed(smallFactory(), (f) => {
    f.kubernetesVersion = "1.34";
    f.pools[1].nodes = 32;
    f.storage.perUnitStorageThroughput = 1000;
  }),
);
const diff = diffSnapshots(before, after);
const digest = parsePreview(readFileSync(FIXTURE, "utf8"), FIXTURE);

describe("reading `pulumi preview --json`", () => {
  it("reads steps, diagnostics and the change summary of Pulumi's documented format", () => {
    expect(digest.steps.map((s) => s.op)).toEqual(expect.arrayContaining(["create-replacement", "replace", "delete-replaced", "update", "delete"]));
    expect(digest.changeSummary).toEqual({ delete: 3, replace: 1, same: 27, update: 9 });
    expect(digest.diagnostics.filter((d) => d.severity === "error")).toHaveLength(1);
  });

  it("names what is wrong with a document that is not a preview", () => {
    expect(() => parsePreview("{ nope", "p.json")).toThrow(PreviewError);
    expect(() => parsePreview("{ nope", "p.json")).toThrow(/^p\.json: not valid JSON .* — save the output of `pulumi preview --json`/);
    expect(() => parsePreview(JSON.stringify({ steps: [{ op: "update", urn: "nope" }] }), "p.json")).toThrow(/^p\.json: steps\.0\.urn: .* — this is not the output of `pulumi preview --json`/);
    // A line the program printed before the document does not stop it.
    expect(parsePreview(`warning: something\n${JSON.stringify({ steps: [] })}`, "p.json").steps).toEqual([]);
    expect(parsePreview("{}", "p.json")).toEqual({ steps: [], diagnostics: [], changeSummary: {} });
  });

  it("splits a URN into stack, project, type (the last of the chain) and name", () => {
    expect(urnParts("urn:pulumi:org/dev::gigafactory-data::gigafactory:index:GigaFactory$aws:s3/bucket:Bucket::gf-dev::ckpt")).toEqual({
      stack: "org/dev",
      project: "gigafactory-data",
      type: "aws:s3/bucket:Bucket",
      name: "gf-dev::ckpt",
    });
    expect(urnParts("arn:aws:s3:::x")).toBeUndefined();
  });
});

describe("reconciling the real preview with the offline review", () => {
  const r = reconcile(diff, [{ digest }]);

  it("flags what the real engine replaces that the offline review updates in place, with the engine's reason", () => {
    expect(r.realOnly.map((x) => [x.name, x.real, x.offline, x.offlineDisruption, x.realReasons])).toEqual([
      ["af-test-lustre", "replace", "update", "in-place", ["perUnitStorageThroughput"]],
    ]);
  });

  it("lists what the offline review deletes that the real engine does not, and what both delete", () => {
    expect(r.offlineOnly.map((x) => [x.name, x.offline])).toEqual([["af-test-train-b-su002-pg", "delete"]]);
    expect(r.agreed.map((x) => x.name).sort()).toEqual(["af-test-train-b-su002-lt", "af-test-train-b-su002-ng", "af-test-train-b-su002-odcr"]);
    expect(r.projects).toEqual([{ project: "gigafactory", changeSummary: { delete: 3, replace: 1, same: 27, update: 9 }, errors: [expect.stringContaining("state-protected-and-retained")] }]);
  });

  it("says nothing about a project the real engine did not preview", () => {
    const elsewhere = reconcile(diff, [{ project: "gigafactory-tenants", digest: { steps: [], diagnostics: [], changeSummary: {} } }]);
    expect(elsewhere.offlineOnly).toEqual([]);
    expect(elsewhere.realOnly).toEqual([]);
    expect(reconcile(diff, []).projects).toEqual([]);
  });

  it("matches a real stack named with its organisation (org/stack) to the offline plan's", () => {
    const renamed = parsePreview(readFileSync(FIXTURE, "utf8").replaceAll("urn:pulumi:ai-factory::", "urn:pulumi:acme/ai-factory::"), "renamed");
    const again = reconcile(diff, [{ digest: renamed }]);
    expect(again.realOnly.map((x) => x.name)).toEqual(["af-test-lustre"]);
    expect(again.agreed).toHaveLength(3);
  });

  it("renders the warning first, the engine's reason and the policy error, as markdown", () => {
    const md = renderReconcileMarkdown(r);
    expect(md).toMatch(/^#### The real preview beside the offline review/);
    expect(md).toContain("| `gigafactory` | 0 | 9 | 1 | 3 | 1 |");
    expect(md).toContain("**The real engine replaces or deletes 1 resource the offline review does not show as replaced or deleted.**");
    expect(md).toContain("| `af-test-lustre` | fsx LustreFileSystem | **replace** | `perUnitStorageThroughput` | update (`in-place`) |");
    expect(md).toContain("| `af-test-train-b-su002-pg` |");
    expect(md).toMatch(/- `gigafactory`: \[mandatory\] +gigafactory-guardrails v0\.1\.0 +state-protected-and-retained/);
    expect(md.indexOf("[!WARNING]")).toBeLessThan(md.indexOf("af-test-train-b-su002-pg"));
    expect(renderReconcileMarkdown(reconcile(diff, []))).toContain("the real preview did not run");
  });
});

describe("gigafactory reconcile", () => {
  const dir = tempDir();
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const base = file("base.json", stableStringify(before));
  const head = file("head.json", stableStringify(after));

  it("prints the section, or the JSON, and writes files on request", async () => {
    const md = await gigafactoryInProcess("reconcile", base, head, "--preview", FIXTURE);
    expect(md.code).toBe(0);
    expect(md.stdout).toBe(renderReconcileMarkdown(reconcile(diff, [{ digest }])));
    const json = await gigafactoryInProcess("reconcile", "--json", base, head, "--preview", FIXTURE, "--markdown-file", path.join(dir, "r.md"));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: "gigafactory.reconcile/v1", stack: "ai-factory", realOnly: [{ name: "af-test-lustre" }] });
    expect(json.stderr).toMatch(/^wrote .*r\.md \(/m);
  });

  it("exits 2 naming a layer the plan does not have, a preview that cannot be read, or a plan that is not one", async () => {
    const layer = await gigafactoryInProcess("reconcile", base, head, "--preview", `compute=${FIXTURE}`);
    expect(layer.code).toBe(2);
    expect(layer.stderr).toMatch(/^error --preview compute=.*: the plan has no layer "compute"/m);
    const missing = await gigafactoryInProcess("reconcile", base, head, "--preview", path.join(dir, "none.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.json: cannot be read \(ENOENT\)/);
    const broken = await gigafactoryInProcess("reconcile", base, head, "--preview", file("broken.json", "{ steps: "));
    expect(broken.stderr).toMatch(/^error .*broken\.json: not valid JSON/m);
    const notPlan = await gigafactoryInProcess("reconcile", FIXTURE, head);
    expect(notPlan.code).toBe(2);
  });
});
