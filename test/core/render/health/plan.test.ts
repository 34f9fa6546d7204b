import { beforeAll, describe, expect, it } from "vitest";
import type { PlanSnapshot } from "../../../../plan/snapshot";
import { renderAcceptance } from "../../../../core/render/acceptance";
import type { Blueprint } from "../../../../core/blueprint/types";
import { renderHealth } from "../../../../core/render/health";
import { renderSlurm } from "../../../../core/render/slurm";
import { exitCodeOf, runPacks } from "../../../../policies/harness/run";
import { POLICY_PACKS } from "../../../../policies/packs";
import { configWithSpec } from "../../../../policies/tenant-isolation/declared";
import { plannedSnapshot } from "../../../support/planned-stacks";

// Day two on the gigafactory's real plan (the offline engine in a process of its own): nodes that repair
// themselves, metrics in the region, Slurm that checks its nodes, and an acceptance job for every unit.

let snapshot: PlanSnapshot;
const ofType = (type: string) => snapshot.resources.filter((r) => r.type === type);
const inputs = (r: PlanSnapshot["resources"][number]) => r.inputs as Record<string, any>;
const blueprint = () => snapshot.blueprint as unknown as Blueprint;

beforeAll(async () => {
  snapshot = await plannedSnapshot("gigafactory");
  // A gigafactory plan takes tens of seconds on two shared cores.
}, 600_000);

describe("the gigafactory on day two", { timeout: 120_000 }, () => {
  it("repairs every GPU node group itself (EKS node auto-repair on each managed node group of units)", () => {
    const gpuGroups = ofType("aws:eks/nodeGroup:NodeGroup").filter((g) => inputs(g).nodeGroupName !== "system");
    expect(gpuGroups.map((g) => inputs(g).nodeGroupName).sort()).toEqual([...new Set(blueprint().units.map((u) => u.nodeGroup))].sort());
    for (const g of gpuGroups) expect(inputs(g).nodeRepairConfig, String(inputs(g).nodeGroupName)).toEqual({ enabled: true });
    // Repair acts on the conditions EKS's node monitoring agent reports: it runs on every node, GPU taints or not.
    const monitor = ofType("aws:eks/addon:Addon").filter((a) => inputs(a).addonName === "eks-node-monitoring-agent");
    expect(monitor).toHaveLength(1);
  });

  it("keeps its metrics in a Prometheus workspace in the factory's region, scraped into it by a collector there", () => {
    const [workspace] = ofType("aws:amp/workspace:Workspace");
    expect(inputs(workspace).region).toBe(blueprint().region);
    expect(workspace.protect).toBe(true);
    const [scraper] = ofType("aws:amp/scraper:Scraper");
    expect(inputs(scraper).region).toBe(blueprint().region);
    expect(inputs(scraper).destination.amp.workspaceArn).toMatch(new RegExp(`^arn:aws:[a-z]+:${blueprint().region}:[0-9]+:workspace/`));
    expect(inputs(scraper).source.eks.clusterArn).toMatch(new RegExp(`^arn:aws:eks:${blueprint().region}:`));
    const logs = ofType("aws:cloudwatch/logGroup:LogGroup").find((g) => String(inputs(g).name).startsWith("/aws/vendedlogs/prometheus/"))!;
    expect(inputs(logs).retentionInDays).toBeGreaterThan(0);
    expect(ofType("aws:amp/ruleGroupNamespace:RuleGroupNamespace")).toHaveLength(1);
    expect(ofType("aws:amp/alertManagerDefinition:AlertManagerDefinition")).toHaveLength(1);
  });

  it("adds no resource per unit for observability, health or acceptance: those are rendered files", () => {
    const added = snapshot.resources.filter((r) => r.urn.includes("observability"));
    expect(added.length).toBeLessThan(12);
    const files = [...renderHealth(blueprint()), ...renderAcceptance(blueprint())];
    for (const u of blueprint().units) expect(files.some((f) => f.path === `acceptance/slurm/acceptance-${u.name}.sbatch`), u.name).toBe(true);
  });

  it("renders a slurm.conf that runs the node health checks, prolog and epilog, and requeues", () => {
    const conf = renderSlurm(blueprint()).find((f) => f.path === "slurm/slurm.conf")!.content;
    expect(conf).toMatch(/^HealthCheckProgram=\/etc\/slurm\/health\/healthcheck\.sh$/m);
    expect(conf).toMatch(/^HealthCheckInterval=\d+$/m);
    expect(conf).toMatch(/^Prolog=\/etc\/slurm\/health\/prolog\.sh$/m);
    expect(conf).toMatch(/^Epilog=\/etc\/slurm\/health\/epilog\.sh$/m);
    expect(conf).toMatch(/^JobRequeue=1$/m);
    const scripts = renderHealth(blueprint()).map((f) => f.path);
    expect(scripts).toEqual(expect.arrayContaining(["health/healthcheck.sh", "health/prolog.sh", "health/epilog.sh", "health/burn-in.sh"]));
  });

  it("passes the residency and guardrail packs with all of it", async () => {
    const result = await runPacks(snapshot, POLICY_PACKS, { config: configWithSpec(snapshot) });
    expect(result.failures.map((f) => `${f.policy}: ${f.message}`)).toEqual([]);
    expect(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => `${d.policy} ${d.urn ?? ""}: ${d.message}`)).toEqual([]);
    expect(exitCodeOf(result)).toBe(0);
  });
});
