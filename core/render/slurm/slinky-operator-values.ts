import { SYSTEM_NODE_SELECTOR, systemTolerations, type Toleration } from "../kubernetes/addon-values";
import { slinkyImage } from "../../catalog/slinky-charts";

// The operator's Helm values (SlinkyProject/slurm-operator helm/slurm-operator/values.yaml v1.2.1 [P]): its images
// from the factory's registry, on the system pool, its webhook's certificates from cert-manager. The CRDs come
// from their own release, so this one never owns them.

type ImageRef = { repository: string; tag: string };

export interface SlinkyOperatorValues {
  crds: { enabled: false };
  operator: { enabled: true; replicas: number; image: ImageRef; nodeSelector: Record<string, string>; tolerations: Toleration[] };
  webhook: {
    enabled: true;
    replicas: number;
    image: ImageRef;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    pdb: { enabled: true; minAvailable: number };
  };
  certManager: { enabled: true };
}

// One operator with leader election is enough: it reconciles, nothing waits on it. The webhook validates every
// Slurm object and sees NodeSet pods bound to nodes: two replicas, one always up (as Kueue's, addon-values.ts).
const OPERATOR_REPLICAS = 1;
const WEBHOOK_REPLICAS = 2;

export function slinkyOperatorValues(registry: string): SlinkyOperatorValues {
  return {
    crds: { enabled: false },
    operator: { enabled: true, replicas: OPERATOR_REPLICAS, image: slinkyImage(registry, "operator"), nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: systemTolerations() },
    webhook: {
      enabled: true,
      replicas: WEBHOOK_REPLICAS,
      image: slinkyImage(registry, "webhook"),
      nodeSelector: { ...SYSTEM_NODE_SELECTOR },
      tolerations: systemTolerations(),
      pdb: { enabled: true, minAvailable: 1 },
    },
    // Without cert-manager the chart signs a new CA at every render (templates/webhook/webhook.yaml [P]).
    certManager: { enabled: true },
  };
}
