import { ACCEPTANCE_METRICS_DIR } from "./acceptance-metrics-dir";
import { podAdmission } from "./pod-admission";
import type { KubernetesObject } from "./objects-types";

// The acceptance namespace enforces Pod Security "privileged" only because its MPIJob launcher writes one host path,
// the node's acceptance metrics folder (acceptance-queue.ts). This policy gives the rest of "baseline" back: no host
// path but that folder, no privileged container, no added capability, no host network, PID or IPC namespace. It is a
// ValidatingAdmissionPolicy in CEL, as the system pool's (system-pool-admission.ts, docs/sources.md#kubernetes-validating-admission-policy).

export const ACCEPTANCE_ADMISSION = "gigafactory-acceptance-pods";

// Every container of the pod, init and ephemeral ones too: CEL sees only the lists the pod has.
const EVERY_CONTAINER = (check: string) =>
  ["containers", "initContainers", "ephemeralContainers"].map((list) => `(!has(object.spec.${list}) || object.spec.${list}.all(c, ${check}))`).join(" && ");

/** The CEL refusing a host path other than the acceptance metrics folder. */
export const HOST_PATH_REFUSAL = `!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath) || v.hostPath.path == '${ACCEPTANCE_METRICS_DIR}')`;
/** The CEL refusing a privileged container or one that adds a capability. */
export const PRIVILEGE_REFUSAL = EVERY_CONTAINER(
  "!has(c.securityContext) || ((!has(c.securityContext.privileged) || !c.securityContext.privileged) && (!has(c.securityContext.capabilities) || !has(c.securityContext.capabilities.add) || size(c.securityContext.capabilities.add) == 0))",
);
/** The CEL refusing the host's network, PID or IPC namespace. */
export const HOST_NAMESPACE_REFUSAL = ["hostNetwork", "hostPID", "hostIPC"].map((f) => `!(has(object.spec.${f}) && object.spec.${f})`).join(" && ");

export function acceptanceAdmission(namespace: string): KubernetesObject[] {
  const why = "an acceptance pod may only write the node's acceptance metrics folder on the host";
  return podAdmission(ACCEPTANCE_ADMISSION, { matchLabels: { "kubernetes.io/metadata.name": namespace } }, [
    { expression: HOST_PATH_REFUSAL, message: `${why}: no other host path — mount ${ACCEPTANCE_METRICS_DIR} or nothing` },
    { expression: PRIVILEGE_REFUSAL, message: `${why}: no privileged container or added capability — run the job as the rendered MPIJob does` },
    { expression: HOST_NAMESPACE_REFUSAL, message: `${why}: no host network, PID or IPC — use the pod's own` },
  ]);
}
