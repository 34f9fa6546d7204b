import type { Blueprint } from "../blueprint/types";
import { error } from "../spec/findings";
import { specPath } from "../spec/paths";
import type { Finding } from "../spec/schema";
import { IDENTITY_CONFIGMAP, tenantIdentityBytes } from "../render/slurm/identity";

// The tenants' users live in one ConfigMap (render/slurm/identity.ts), which the API server refuses above 1 MiB of
// data (Kubernetes "ConfigMaps": "The data stored in a ConfigMap cannot exceed 1 MiB" [P], docs/sources.md#kubernetes-configmaps).
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
// Room for the platform's own key and the object's metadata.
const HEADROOM_BYTES = 16 * 1024;

export function slurmIdentityFindings(blueprint: Pick<Blueprint, "tenants">, tenantPath: (tenant: string) => string = (t) => specPath("tenants", t)): Finding[] {
  const sizes = blueprint.tenants.map((t) => ({ name: t.name, bytes: tenantIdentityBytes(t) }));
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  if (total <= CONFIGMAP_MAX_BYTES - HEADROOM_BYTES) return [];
  const largest = [...sizes].sort((a, b) => b.bytes - a.bytes)[0];
  return [
    error(
      tenantPath(largest.name),
      `the tenants' users and SSH keys take ${total} bytes, more than the ${CONFIGMAP_MAX_BYTES - HEADROOM_BYTES} the ConfigMap ${IDENTITY_CONFIGMAP} holds (1 MiB less headroom); tenant ${largest.name} has the most (${largest.bytes} bytes)`,
      "give users fewer keys (ed25519 keys are a fifth the size of RSA ones), or keep the users in your directory (LDAP) instead of the tenants file",
    ),
  ];
}
