import { PINNED_CHARTS } from "./charts";
import { SLINKY_CHARTS } from "./slinky-charts";

// A tenant's name becomes its namespace: it must not be one Kubernetes keeps for itself (default, and every
// kube- name: Kubernetes namespaces [P]) or one the factory's own add-ons and scraper live in.

// The namespace of the Prometheus that scrapes tenants' pods: Kueue's chart assumes the same one
// (kubernetes-sigs/kueue charts/kueue values.yaml metrics.prometheusNamespace: monitoring [P]).
export const METRICS_NAMESPACE = "monitoring";

export const KUBERNETES_NAMESPACE_PREFIX = "kube-";

const FACTORY_CHARTS = [...PINNED_CHARTS, ...SLINKY_CHARTS];
export const FACTORY_NAMESPACES: readonly string[] = [...new Set(["default", ...FACTORY_CHARTS.map((c) => c.namespace), METRICS_NAMESPACE])].sort();

/** Why a tenant cannot have this namespace, or undefined when it can. */
export function reservedNamespace(name: string): string | undefined {
  if (name.startsWith(KUBERNETES_NAMESPACE_PREFIX)) return `Kubernetes keeps every namespace starting with ${KUBERNETES_NAMESPACE_PREFIX} for itself`;
  if (FACTORY_NAMESPACES.includes(name)) return name === "default" ? "it is Kubernetes' default namespace" : "the factory's own add-ons or metrics run in that namespace";
  return undefined;
}

// A Kubernetes label value: at most 63 characters, alphanumerics with '-', '_' or '.' inside (Kubernetes labels [P]).
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const LABEL_VALUE_MAX = 63;

export function isLabelValue(value: string): boolean {
  return value.length <= LABEL_VALUE_MAX && LABEL_VALUE.test(value);
}
