import { chartsAtVersions } from "../catalog/charts";
import { CHART_NAMES, chartRelease, formatSupport, kubernetesMinor, releasesSupporting, releaseSupports, type ChartName, type KubernetesMinor } from "../catalog/kubernetes";
import { error, warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { Finding } from "../spec/schema";
import { factoryCharts, type MirrorPools } from "./registry";
import type { ChartPlan } from "./chart-types";

// The Helm releases a factory's cluster runs, at the releases its Kubernetes minor selects
// (core/catalog/kubernetes/1.3x.ts), each with the minors its publisher says it runs on. A selected release that does
// not run on the minor is an error at kubernetes.version, never a silent pick; a minor whose data file lists facts no
// public source confirmed warns there.

const isChartName = (name: string): name is ChartName => (CHART_NAMES as readonly string[]).includes(name);

/** The charts a factory of these pools runs on the minor (its data file, unless given), and what the minor's data refuses or leaves unconfirmed. */
export function planCharts(
  kubernetesVersion: string,
  pools: MirrorPools,
  minor: KubernetesMinor | undefined = kubernetesMinor(kubernetesVersion),
): { charts: ChartPlan[]; findings: Finding[] } {
  const path = specPath("kubernetes", "version");
  const findings: Finding[] = [];
  for (const fact of minor?.unconfirmed ?? []) {
    findings.push(warning(path, `Kubernetes ${kubernetesVersion}'s data file pins what no public source confirmed: ${fact}`, `confirm it on the account before deploying, then move it out of core/catalog/kubernetes/${kubernetesVersion}.ts unconfirmed`));
  }
  const charts = chartsAtVersions(factoryCharts(pools), minor?.charts ?? {}).map((c): ChartPlan => {
    const release = isChartName(c.chart) ? chartRelease(c.chart, c.version) : undefined;
    if (minor && isChartName(c.chart)) {
      if (!release) {
        findings.push(error(path, `Kubernetes ${kubernetesVersion} selects ${c.chart} ${c.version}, a release with no stated Kubernetes range`, `add the release and its source to core/catalog/kubernetes/chart-releases.ts, or select a listed one in ${kubernetesVersion}.ts`));
      } else if (!releaseSupports(release, kubernetesVersion)) {
        const others = releasesSupporting(c.chart, kubernetesVersion).map((r) => r.version);
        findings.push(
          error(
            path,
            `${c.chart} ${c.version} supports Kubernetes ${formatSupport(release)} (${release.source}), not ${kubernetesVersion}`,
            others.length > 0
              ? `select ${c.chart} ${others[others.length - 1]} in core/catalog/kubernetes/${kubernetesVersion}.ts`
              : `keep kubernetes.version where ${c.chart} ${c.version} runs, or add a release of ${c.chart} that supports ${kubernetesVersion} to core/catalog/kubernetes/chart-releases.ts with its source`,
          ),
        );
      }
    }
    return {
      chart: c.chart,
      release: c.release,
      namespace: c.namespace,
      version: c.version,
      supports: release ? formatSupport(release) : null,
      source: release?.source ?? null,
    };
  });
  return { charts, findings };
}

/** The version of each chart a blueprint runs, by chart name. */
export function chartVersions(charts: readonly Pick<ChartPlan, "chart" | "version">[]): Readonly<Record<string, string>> {
  return Object.fromEntries(charts.map((c) => [c.chart, c.version]));
}
