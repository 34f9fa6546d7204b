import type { Blueprint, TenantPlan } from "../../blueprint/types";
import { LABEL_TENANT } from "../../blueprint/labels";
import { SYSTEM_NODE_SELECTOR, systemTolerations } from "../kubernetes/addon-values";
import { MANAGED_BY } from "../kubernetes/kueue-objects";
import type { KubernetesObject } from "../kubernetes/objects-types";
import { renderQosScript } from "./accounts";
import { renderTenantAccountsCfg } from "./accounts-cfg";
import { slurmClusterName } from "./names";
import { SLURM_CHART, SLURM_KEY_FILE, slinkyImage } from "../../catalog/slinky-charts";

// What converges slurmdbd in the cluster: CronJobs in Slurm's namespace that run sacctmgr as a Slurm administrator
// (root with the cluster's key). The platform's makes the cluster and the QOS; each tenant's loads the tenant's
// account and users from its own file, so adding a tenant adds one object and changes none. Both converge (accounts.ts,
// accounts-cfg.ts): a run that finds everything as the spec says changes nothing.

/** The slurm chart's Services: `<release>-controller`, `<release>-accounting` (SlinkyProject/slurm-operator v1.2.1 api/v1beta1/controller_keys.go, accounting_keys.go [P]). */
export interface SlurmEndpoints {
  namespace: string;
  controllerHost: string;
  accountingHost: string;
  /** The Secret holding the cluster's key for auth/slurm, and its key. */
  keySecret: { name: string; key: string };
  /** An image with Slurm's client commands (the login image). */
  image: string;
}

export const SLURM_CLIENT_CONFIGMAP = "slurm-client-conf";
/** The Secret of Slurm's keys beside the release (its key file named as Slinky mounts it, SLURM_KEY_FILE). */
export const SLURM_AUTH_SECRET = "slurm-auth";

/** Where the accounts Jobs reach Slurm: the slurm chart's release in its namespace, the login image for sacctmgr. */
export function slinkyEndpoints(registry: string): SlurmEndpoints {
  const { release, namespace } = SLURM_CHART;
  return {
    namespace,
    controllerHost: `${release}-controller.${namespace}`,
    accountingHost: `${release}-accounting.${namespace}`,
    keySecret: { name: SLURM_AUTH_SECRET, key: SLURM_KEY_FILE },
    image: imageRef(slinkyImage(registry, "login")),
  };
}

const imageRef = (i: { repository: string; tag: string }): string => `${i.repository}:${i.tag}`;
const CONF_DIR = "/etc/slurm";
// slurmdbd's port (slurm.conf.5 AccountingStoragePort default [P]).
const SLURMDBD_PORT = 6819;

/**
 * slurm.conf for sacctmgr alone: the cluster, its controller and its accounting daemon, authenticated with the
 * cluster's key as Slinky's daemons are (auth/slurm, authentication.html [P]).
 */
export function renderSlurmClientConf(blueprint: Pick<Blueprint, "factory">, endpoints: SlurmEndpoints): string {
  return [
    `# slurm.conf for sacctmgr in the accounts Jobs of ${blueprint.factory}: rendered by gigafactory.`,
    `ClusterName=${slurmClusterName(blueprint.factory)}`,
    `SlurmctldHost=${endpoints.controllerHost}`,
    "AuthType=auth/slurm",
    "CredType=cred/slurm",
    "AccountingStorageType=accounting_storage/slurmdbd",
    `AccountingStorageHost=${endpoints.accountingHost}`,
    `AccountingStoragePort=${SLURMDBD_PORT}`,
    "",
  ].join("\n");
}

export function slurmClientConfigMap(blueprint: Pick<Blueprint, "factory">, endpoints: SlurmEndpoints): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: SLURM_CLIENT_CONFIGMAP, namespace: endpoints.namespace, labels: { ...MANAGED_BY } },
    data: { "slurm.conf": renderSlurmClientConf(blueprint, endpoints) },
  };
}

// Every ten minutes: a new account or user is in Slurm within minutes of the deploy, and anything changed by hand in
// slurmdbd returns to the spec's [U: project choice]. A run is a few sacctmgr queries when nothing differs.
export const ACCOUNTS_SCHEDULE = "*/10 * * * *";
// A CronJob's name leaves 11 characters of its Jobs' names to the controller (cronjob_controllerv2 [P]).
export const CRONJOB_NAME_MAX_CHARS = 52;

interface LoadJob {
  name: string;
  labels: Record<string, string>;
  /** The file, passed in the environment: a change to it updates the CronJob in place. */
  content: string;
  /** What runs with the file at $FILE. */
  command: string;
}

function loadCronJob(endpoints: SlurmEndpoints, job: LoadJob): KubernetesObject {
  if (job.name.length > CRONJOB_NAME_MAX_CHARS) throw new Error(`CronJob name ${job.name} is longer than ${CRONJOB_NAME_MAX_CHARS} characters`);
  const labels = { ...MANAGED_BY, ...job.labels };
  const script = ["set -eu", 'FILE=$(mktemp)', 'printf \'%s\' "$LOAD_FILE" > "$FILE"', job.command].join("\n");
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: job.name, namespace: endpoints.namespace, labels },
    spec: {
      schedule: ACCOUNTS_SCHEDULE,
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: "OnFailure",
              nodeSelector: { ...SYSTEM_NODE_SELECTOR },
              tolerations: systemTolerations(),
              containers: [
                {
                  name: "sacctmgr",
                  image: endpoints.image,
                  command: ["sh", "-c", script],
                  env: [
                    { name: "SLURM_CONF", value: `${CONF_DIR}/slurm.conf` },
                    { name: "LOAD_FILE", value: job.content },
                  ],
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                  volumeMounts: [
                    { name: "conf", mountPath: `${CONF_DIR}/slurm.conf`, subPath: "slurm.conf", readOnly: true },
                    { name: "key", mountPath: `${CONF_DIR}/slurm.key`, subPath: endpoints.keySecret.key, readOnly: true },
                  ],
                },
              ],
              volumes: [
                { name: "conf", configMap: { name: SLURM_CLIENT_CONFIGMAP } },
                { name: "key", secret: { secretName: endpoints.keySecret.name, defaultMode: 0o400 } },
              ],
            },
          },
        },
      },
    },
  };
}

/** The platform's CronJob: the cluster and every priority class's QOS, with their preemption. */
export function slurmQosCronJob(blueprint: Pick<Blueprint, "factory" | "tenants">, endpoints: SlurmEndpoints): KubernetesObject {
  return loadCronJob(endpoints, { name: "slurm-qos", labels: {}, content: renderQosScript(blueprint), command: 'sh "$FILE"' });
}

/** A tenant's CronJob: its account and users, from its own file; sacctmgr load leaves the other tenants alone. */
export function tenantSlurmAccountCronJob(blueprint: Pick<Blueprint, "factory" | "pools">, tenant: TenantPlan, endpoints: SlurmEndpoints): KubernetesObject {
  return loadCronJob(endpoints, {
    name: `slurm-acct-${tenant.name}`,
    labels: { [LABEL_TENANT]: tenant.name },
    content: renderTenantAccountsCfg(blueprint, tenant),
    command: 'sacctmgr --immediate load file="$FILE"',
  });
}
