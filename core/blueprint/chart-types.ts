// The shape of a Helm release in the blueprint (charts.ts decides them), kept apart so the blueprint's types stay one read.

/** A Helm release of the factory's cluster and the Kubernetes minors its chart release runs on. */
export interface ChartPlan {
  chart: string;
  release: string;
  namespace: string;
  version: string;
  /** `1.29 or newer`, `1.32 to 1.35`; null for a release the catalog has no range for. */
  supports: string | null;
  source: string | null;
}
