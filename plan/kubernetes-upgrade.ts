import { KUBERNETES_MINORS, kubernetesMinor, MINORS_PER_UPGRADE, minorNumber } from "../core/catalog/kubernetes";
import { error } from "../core/spec/findings";
import { specPath } from "../core/spec/paths";
import type { Finding } from "../core/spec/schema";
import { chartChanges, chartStep, type ChartChanges } from "./chart-changes";
import type { PlanSnapshot } from "./snapshot";

// A change of the control plane's Kubernetes minor between two plans of one factory: EKS upgrades one minor at a time,
// control plane first, and never downgrades (docs/sources.md#eks-update-cluster [P]). What a reviewer must read about it:
// the order the layers apply it in (compute: control plane, then add-ons; platform: the charts; compute again: the
// node groups wave by wave), with the chart releases the new minor's data file selects.

export interface KubernetesUpgrade {
  before: string;
  after: string;
  /** The upgrade refused: a downgrade, or a skip of more than one minor (exit 2 at kubernetes.version). */
  refused: Finding | null;
  /** The order the change runs in, one step a line. */
  order: string[];
  /** What the new minor changes, from its data file. */
  notes: string[];
  /** The Helm releases the minor moves (its data file's charts), step 3 of the order. */
  charts: ChartChanges;
}

export function kubernetesVersionOf(snapshot: Pick<PlanSnapshot, "spec">): string | undefined {
  const k = (snapshot.spec as { kubernetes?: { version?: unknown } }).kubernetes;
  return typeof k?.version === "string" ? k.version : undefined;
}

/** The upgrade between two plans, or null when the minor is the same (or a plan does not say). */
export function kubernetesUpgrade(before: Pick<PlanSnapshot, "spec">, after: Pick<PlanSnapshot, "spec">): KubernetesUpgrade | null {
  const from = kubernetesVersionOf(before);
  const to = kubernetesVersionOf(after);
  if (from === undefined || to === undefined || from === to) return null;
  const step = minorNumber(to) - minorNumber(from);
  const path = specPath("kubernetes", "version");
  const next = `1.${minorNumber(from) + MINORS_PER_UPGRADE}`;
  let refused: Finding | null = null;
  if (!(step > 0)) {
    refused = error(
      path,
      `the change moves the control plane from Kubernetes ${from} back to ${to}: EKS never downgrades a cluster`,
      `keep kubernetes.version at ${from} (a cluster of ${to} is a new cluster, with its workloads moved to it)`,
    );
  } else if (step > MINORS_PER_UPGRADE) {
    const known = kubernetesMinor(next) ? "" : ` (add core/catalog/kubernetes/${next}.ts first)`;
    refused = error(
      path,
      `the change moves the control plane from Kubernetes ${from} to ${to}, ${step} minors at once: EKS upgrades one minor at a time`,
      `set kubernetes.version to ${next}${known}, deploy it, then ${to} in a later change`,
    );
  }
  const charts = chartChanges(before, after, from, to);
  const order = [
    `1. the control plane, ${from} → ${to} (compute layer: the EKS cluster's version; the API server stays up)`,
    `2. the EKS add-ons, to the builds of ${to} (compute layer, after the control plane: kube-proxy, CoreDNS and the others from core/catalog/kubernetes/${to}.ts)`,
    `3. ${chartStep(charts, to)}`,
    "4. the node groups, wave by wave: each pool's image.release moves to a release of the new minor, one `pulumi up` per wave (its rollout.wave), the kubelets up to three minors behind meanwhile",
  ];
  const notes = [
    "one minor at a time, never back: EKS refuses a skip and a downgrade",
    ...(KUBERNETES_MINORS.filter((m) => minorNumber(m.version) > minorNumber(from) && minorNumber(m.version) <= minorNumber(to)).flatMap((m) => m.upgradeNotes)),
  ];
  return { before: from, after: to, refused, order, notes, charts };
}
