import type { Blueprint, PoolPlan, TenantPlan } from "../../../blueprint/types";
import { acceleratorTaint, LABEL_POOL } from "../../../blueprint/labels";
import { instanceType } from "../../../catalog/instances";
import { apiVersionOf, JOBSET_API } from "../../../catalog/training-operators";
import { WORKLOAD_SERVICE_ACCOUNT } from "../../aws/tenant-workload";
import { EFA_ENVIRONMENT, TOPOLOGY_PREFERRED, unitTopologyLevel } from "../training-pods";
import { LOCAL_QUEUE_NAME } from "../kueue-objects";
import type { KubernetesObject } from "../objects-types";
import { LUSTRE_CLAIM } from "./lustre-share";

// A tenant's multi-node training job as the factory expects one: a JobSet (one Indexed Job, a pod per node) on the
// tenant's LocalQueue, its pods as the workload ServiceAccount (so the AWS SDK finds the tenant's role through Pod
// Identity), the tenant's Lustre share at /data, whole nodes of GPUs and EFA, torchrun's rendezvous at the first
// pod's stable name, and Kueue asked to keep the pods within one network level where it can. `gigafactory render`
// writes one per tenant under kubernetes/examples/ for its engineers to start from; the factory applies none.

export const EXAMPLE_NAME = "example-training";
export const RENDEZVOUS_PORT = 29500;
export const DATA_PATH = "/data";
/** The tenant's own training image: the example names it by a variable, as the registry is named in rendered files. */
export const IMAGE_VARIABLE = "${IMAGE}";

export function tenantTrainingExample(blueprint: Pick<Blueprint, "topology">, tenant: Pick<TenantPlan, "name">, pool: PoolPlan, nodes = 2): KubernetesObject {
  const type = instanceType(pool.instanceType);
  if (!type) throw new Error(`instance type ${pool.instanceType} is not in the catalog`);
  const taint = acceleratorTaint(type);
  const gpus = pool.gpusPerNode;
  const workers = `${EXAMPLE_NAME}-workers`;
  // JobSet's pod names and headless service: <jobset>-<job>-<job index>-<pod index>.<jobset> (JobSet's network, enableDNSHostnames).
  const rendezvous = `${workers}-0-0.${EXAMPLE_NAME}:${RENDEZVOUS_PORT}`;
  return {
    apiVersion: apiVersionOf(JOBSET_API),
    kind: JOBSET_API.kind,
    metadata: { name: EXAMPLE_NAME, namespace: tenant.name, labels: { "kueue.x-k8s.io/queue-name": LOCAL_QUEUE_NAME } },
    spec: {
      network: { enableDNSHostnames: true },
      failurePolicy: { maxRestarts: 3 },
      replicatedJobs: [
        {
          name: "workers",
          replicas: 1,
          template: {
            spec: {
              parallelism: nodes,
              completions: nodes,
              completionMode: "Indexed",
              backoffLimit: 0,
              template: {
                metadata: { annotations: { [TOPOLOGY_PREFERRED]: unitTopologyLevel(blueprint, pool) } },
                spec: {
                  serviceAccountName: WORKLOAD_SERVICE_ACCOUNT,
                  restartPolicy: "Never",
                  nodeSelector: { [LABEL_POOL]: pool.name },
                  tolerations: [{ key: taint.key, operator: "Exists", effect: taint.effect }],
                  containers: [
                    {
                      name: "trainer",
                      image: IMAGE_VARIABLE,
                      command: ["torchrun", `--nnodes=${nodes}`, `--nproc-per-node=${gpus}`, "--rdzv-backend=c10d", `--rdzv-endpoint=${rendezvous}`, "train.py"],
                      env: [...Object.entries(EFA_ENVIRONMENT).map(([name, value]) => ({ name, value })), { name: "DATA_DIR", value: DATA_PATH }],
                      ports: [{ containerPort: RENDEZVOUS_PORT, protocol: "TCP" }],
                      resources: {
                        limits: {
                          [type.accelerator === "nvidia" ? "nvidia.com/gpu" : "aws.amazon.com/neuron"]: String(gpus),
                          ...(type.efaInterfaces > 0 ? { "vpc.amazonaws.com/efa": String(type.efaInterfaces) } : {}),
                        },
                      },
                      volumeMounts: [{ name: "data", mountPath: DATA_PATH }],
                    },
                  ],
                  volumes: [{ name: "data", persistentVolumeClaim: { claimName: LUSTRE_CLAIM } }],
                },
              },
            },
          },
        },
      ],
    },
  };
}
