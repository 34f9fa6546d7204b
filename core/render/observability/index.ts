import type { Blueprint } from "../../blueprint/types";
import { yamlDocuments } from "../kubernetes/objects";
import type { KubernetesObject } from "../kubernetes/objects-types";
import type { RenderedFile } from "../files";
import { dashboardJson, dashboardSpecs } from "./dashboards";
import { renderRules } from "./rules";
import { collectorRbac, renderScrapeConfiguration } from "./scrape";

export * from "./alertmanager";
export * from "./dashboards";
export * from "./rules";
export * from "./scrape";

export const OBSERVABILITY_DIR = "observability";

/**
 * observability/: the dashboards as Grafana JSON, the alert rules and the collector's scrape configuration the
 * workspace is given, and the collector's rights in the cluster (kubernetes/collector-rbac.yaml).
 */
export function renderObservability(blueprint: Pick<Blueprint, "factory" | "pools">): RenderedFile[] {
  return [
    ...dashboardSpecs(blueprint).map((d) => ({ path: `${OBSERVABILITY_DIR}/dashboards/${d.uid}.json`, content: `${JSON.stringify(dashboardJson(d), null, 2)}\n` })),
    { path: `${OBSERVABILITY_DIR}/rules.yaml`, content: renderRules() },
    { path: `${OBSERVABILITY_DIR}/scrape.yaml`, content: renderScrapeConfiguration(blueprint.factory) },
    { path: `${OBSERVABILITY_DIR}/kubernetes/collector-rbac.yaml`, content: yamlDocuments(collectorRbac() as KubernetesObject[]) },
  ];
}
