import type { DirectoryPlan } from "../../blueprint/directory";
import { AWS_CLI_IMAGE, SSSD_CONF_DIR, SSSD_CONF_FILE, SSSD_CONF_MODE } from "../../catalog/directory";
import { inRegion } from "../../catalog/images";
import { SYSTEM_NODE_SELECTOR, systemTolerations } from "../kubernetes/addon-values";
import { MANAGED_BY } from "../kubernetes/kueue-objects";
import type { KubernetesObject } from "../kubernetes/objects-types";

// A directory of the factory's own (LDAP, Active Directory) behind Slurm's pods. Its sssd.conf holds the directory's
// address and bind credentials, so it never passes through Pulumi: a CronJob in Slurm's namespace, the only holder of
// the role that may read the one secret (aws/directory-access.ts), copies it from Secrets Manager into one Kubernetes
// Secret, by server-side apply, only that Secret's name being writable by it. The slurm chart mounts that Secret in
// the login pods (`sssd.secretRef`); the NodeSets mount it themselves (the chart does so only for NodeSets running
// sshd). Both images run sssd, and jobs resolve their user through slurmstepd first (nss_slurm), the directory after.
// slurmctld's image has no sssd: it resolves only users with an association, and those are the tenants' users of the
// spec, whom the identity sidecar writes into its passwd (identity.ts).

export const DIRECTORY_SECRET = "slurm-sssd-conf";
export const DIRECTORY_SECRET_KEY = SSSD_CONF_FILE;
export const DIRECTORY_SERVICE_ACCOUNT = "slurm-directory";
const COPIER = "slurm-directory-copy";
const FIELD_MANAGER = "gigafactory-directory";
// Every five minutes: a changed sssd.conf reaches the login pods within minutes (the operator restarts them on a new
// hash), and the first copy after a deploy comes before the login pods, which wait for the Secret [U: project choice].
export const DIRECTORY_COPY_SCHEDULE = "*/5 * * * *";
const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

const labels = { ...MANAGED_BY, "app.kubernetes.io/part-of": "slurm", "app.kubernetes.io/component": "directory" };

/**
 * The copier's program (sh, the AWS CLI, jq and curl of its image). Nothing it prints carries the file: the secret
 * goes from the CLI to a private file, from there base64'd by jq into the request, and the API server's answer is
 * dropped. A value without an [sssd] section is refused, so a wrong secret never replaces a working sssd.conf.
 */
export function renderDirectoryCopy(): string {
  return `set -eu
umask 077
sa="\${GF_SERVICE_ACCOUNT_DIR:-${SA_DIR}}"
api="\${GF_KUBERNETES_API:-https://kubernetes.default.svc}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
aws secretsmanager get-secret-value --secret-id "$SECRET_ARN" --query SecretString --output text > "$work/conf"
if ! grep -q '^[[:space:]]*\\[sssd\\]' "$work/conf"; then
  echo "the secret $SECRET_ARN holds no [sssd] section: $SECRET_NAME is left as it is" >&2
  exit 1
fi
jq -Rs --arg ns "$NAMESPACE" --arg name "$SECRET_NAME" --arg key "$SECRET_KEY" --argjson labels '${JSON.stringify(labels)}' \\
  '{apiVersion: "v1", kind: "Secret", metadata: {name: $name, namespace: $ns, labels: $labels}, type: "Opaque", data: {($key): (. | @base64)}}' \\
  < "$work/conf" > "$work/secret.json"
curl --fail --silent --show-error --output /dev/null --cacert "$sa/ca.crt" \\
  -H "Authorization: Bearer $(cat "$sa/token")" -H 'Content-Type: application/apply-patch+yaml' \\
  -X PATCH --data-binary @"$work/secret.json" \\
  "$api/api/v1/namespaces/$NAMESPACE/secrets/$SECRET_NAME?fieldManager=${FIELD_MANAGER}&force=true"
echo "$SECRET_NAME copied from $SECRET_ARN"
`;
}

/** The copier's service account, its right to the one Secret, and the CronJob; `registry` serves the CLI's image. */
export function directoryObjects(plan: DirectoryPlan, namespace: string, registry: string): KubernetesObject[] {
  const image = inRegion(registry, AWS_CLI_IMAGE);
  const meta = (name: string) => ({ name, namespace, labels: { ...labels } });
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(DIRECTORY_SERVICE_ACCOUNT) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta(COPIER),
      // A server-side apply that creates the Secret is authorized as `create` of that name, later ones as `patch`
      // (Kubernetes "Server-Side Apply" and RBAC resourceNames [P]): the copier can write that Secret and no other.
      rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [DIRECTORY_SECRET], verbs: ["get", "create", "patch"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(COPIER),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: COPIER },
      subjects: [{ kind: "ServiceAccount", name: DIRECTORY_SERVICE_ACCOUNT, namespace }],
    },
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta(COPIER),
      spec: {
        schedule: DIRECTORY_COPY_SCHEDULE,
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: { ...labels } },
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels: { ...labels } },
              spec: {
                serviceAccountName: DIRECTORY_SERVICE_ACCOUNT,
                restartPolicy: "OnFailure",
                nodeSelector: { ...SYSTEM_NODE_SELECTOR },
                tolerations: systemTolerations(),
                securityContext: { runAsNonRoot: true, runAsUser: 65_534, runAsGroup: 65_534, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                  {
                    name: "copy",
                    image: `${image.repository}:${image.tag}`,
                    command: ["/bin/sh", "-c", renderDirectoryCopy()],
                    env: [
                      { name: "SECRET_ARN", value: plan.sssdSecretArn },
                      { name: "AWS_REGION", value: plan.sssdSecretArn.split(":")[3] },
                      { name: "NAMESPACE", value: namespace },
                      { name: "SECRET_NAME", value: DIRECTORY_SECRET },
                      { name: "SECRET_KEY", value: DIRECTORY_SECRET_KEY },
                      { name: "HOME", value: "/tmp" },
                    ],
                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                  },
                ],
                volumes: [{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } }],
              },
            },
          },
        },
      },
    },
  ];
}

export const SSSD_CONF_VOLUME = "gf-sssd-conf";
export const NSSWITCH_CONFIGMAP = "slurm-nsswitch";
const NSSWITCH_VOLUME = "gf-nsswitch";

/** The sssd.conf the slurmd pods mount, as Slinky mounts the login pods': one key, root's alone. */
export function sssdConfVolume(): { name: string; secret: { secretName: string; defaultMode: number; items: { key: string; path: string; mode: number }[] } } {
  return { name: SSSD_CONF_VOLUME, secret: { secretName: DIRECTORY_SECRET, defaultMode: SSSD_CONF_MODE, items: [{ key: DIRECTORY_SECRET_KEY, path: SSSD_CONF_FILE, mode: SSSD_CONF_MODE }] } };
}

export function sssdConfMount(): { name: string; mountPath: string; subPath: string; readOnly: true } {
  return { name: SSSD_CONF_VOLUME, mountPath: `${SSSD_CONF_DIR}/${SSSD_CONF_FILE}`, subPath: SSSD_CONF_FILE, readOnly: true };
}

/**
 * nsswitch.conf of the slurmd pods: slurmstepd answers a job's own user and groups first (nss_slurm, with
 * LaunchParameters=enable_nss_slurm in slurm.conf), then the pod's files (the tenants' users), then the directory
 * when there is one (nss_slurm.html: `passwd: slurm files` [P]). The image's own is authselect's, without `slurm`.
 */
export function renderSlurmdNsswitch(directory: boolean): string {
  const sss = directory ? " sss" : "";
  return [`passwd:     slurm files${sss}`, `group:      slurm files${sss}`, `shadow:     files${sss}`, "hosts:      files dns", `services:   files${sss}`, `netgroup:   files${sss}`, ""].join("\n");
}

export function nsswitchConfigMap(namespace: string, directory: boolean): KubernetesObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: NSSWITCH_CONFIGMAP, namespace, labels: { ...labels } }, data: { "nsswitch.conf": renderSlurmdNsswitch(directory) } };
}

export function nsswitchVolume(): { name: string; configMap: { name: string; defaultMode: number } } {
  return { name: NSSWITCH_VOLUME, configMap: { name: NSSWITCH_CONFIGMAP, defaultMode: 0o644 } };
}

export function nsswitchMount(): { name: string; mountPath: string; subPath: string; readOnly: true } {
  return { name: NSSWITCH_VOLUME, mountPath: "/etc/nsswitch.conf", subPath: "nsswitch.conf", readOnly: true };
}

// sshd asks sssd for a directory user's keys (sss_ssh_authorizedkeys, sssd-ssh.5 [P]) beside the files'; it runs as
// nobody, as sshd_config.5 AuthorizedKeysCommandUser requires a user of its own.
export const DIRECTORY_SSHD_CONFIG = "AuthorizedKeysCommand /usr/bin/sss_ssh_authorizedkeys %u\nAuthorizedKeysCommandUser nobody";
