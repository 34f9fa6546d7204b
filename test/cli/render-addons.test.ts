import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { renderKubernetes } from "../../core/render/kubernetes/objects";
import { tempDir, gigafactoryServed } from "../support/cli-run";
import { designedStack } from "../fixtures/kubernetes/stacks";

// `gigafactory render` writes every Kubernetes object of the factory under kubernetes/ and the copy script for
// its registry under images/.

describe("gigafactory render", () => {
  it("writes the gigafactory's Kueue objects, the MPI operator, one file and one example training job per tenant under kubernetes/, and images/mirror.sh", async () => {
    const out = tempDir();
    const r = await gigafactoryServed(["render", "--stack", "gigafactory", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const expected = renderKubernetes(designedStack("gigafactory").input);
    expect(expected).toHaveLength(2 + 2 * designedStack("gigafactory").blueprint.tenants.length);
    for (const f of expected) expect(readFileSync(join(out, f.path), "utf8")).toBe(f.content);
    const kinds = parseAllDocuments(readFileSync(join(out, "kubernetes", "tenants", "alpine-ai.yaml"), "utf8")).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds).toEqual(["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "ServiceAccount", "Role", "Role", "RoleBinding", "RoleBinding", "ClusterQueue", "LocalQueue"]);
    expect(statSync(join(out, "images", "mirror.sh")).mode & 0o777).toBe(0o755);
  });
});
