import { shellQuote, shellWord } from "../../lib/shell";
import type { Blueprint, PoolPlan } from "../../blueprint/types";
import { instanceType } from "../../catalog/instances";
import { acceleratorTaint, LABEL_POOL, LABEL_SCALABLE_UNIT } from "../../blueprint/labels";
import type { KubernetesObject } from "../kubernetes/objects-types";
import { LOCAL_QUEUE_NAME } from "../kubernetes/kueue-objects";
import { EFA_ENVIRONMENT, TOPOLOGY_PREFERRED, unitTopologyLevel } from "../kubernetes/training-pods";
import { apiVersionOf, MPIJOB_API } from "../../catalog/training-operators";
import { poolHostlist } from "../../blueprint/pool-hosts";
import { NCCL_TESTS_ALL_REDUCE } from "../../catalog/slurmd-image";
import { ACCEPTANCE_MAX_BYTES, BUSBW_AWK, busBandwidthExpectation, type BandwidthExpectation } from "./bandwidth";

export { EFA_ENVIRONMENT, TOPOLOGY_PREFERRED, unitTopologyLevel };

import { ACCEPTANCE_METRICS_DIR } from "../kubernetes/acceptance-metrics-dir";
import { ACCEPTANCE_NAMESPACE } from "../kubernetes/acceptance-queue";



// One NCCL all-reduce per scalable unit and per pool, as a Slurm batch script and as a Kubernetes MPIJob that Kueue
// admits onto the unit. Both run nccl-tests' all_reduce_perf over EFA with one rank per GPU and print its table;
// check-results.sh reads what they printed.

/**
 * nccl-tests in the factory's slurmd image (core/catalog/slurmd-image.ts), which both kinds of job run: Slurm's steps
 * in the NodeSets' slurmd pods, the MPIJob's launcher and workers as their image (Open MPI's mpirun and sshd are the
 * base's, slinkyproject/slurmd).
 */
export const NCCL_TESTS_BIN = NCCL_TESTS_ALL_REDUCE;

// The MPI operator's workers are reached by the launcher's mpirun over SSH, as root (its default sshAuthMountPath is
// /root/.ssh); the slurmd image has sshd but no host keys (its recipe removes them), so a worker makes its own first.
export const MPI_WORKER_COMMAND = ["bash", "-c", "ssh-keygen -A >/dev/null && mkdir -p /run/sshd && exec /usr/sbin/sshd -De"];

// 8 B to 16 GB doubling, data checked once, 20 timed iterations: the plateau and a correctness check in minutes.
export const ALL_REDUCE_ARGS = ["-b", "8", "-e", ACCEPTANCE_MAX_BYTES, "-f", "2", "-g", "1", "-c", "1", "-n", "20"];


export const ACCEPTANCE_LABEL = "gigafactory.io/acceptance";
export const EXPECTED_ANNOTATION = "gigafactory.io/expected-bus-bandwidth-gbps";
export const SOURCE_ANNOTATION = "gigafactory.io/expected-bus-bandwidth-source";

export interface AcceptanceTarget {
  /** The unit's name, or the pool's name for the test over the whole pool. */
  name: string;
  kind: "unit" | "pool";
  pool: PoolPlan;
  nodes: number;
  /** Slurm hostlist of its nodes. */
  hostnames: string;
  expectation: BandwidthExpectation;
}

/** Every unit and every pool NCCL can test, each with the bus bandwidth it must reach. */
export function acceptanceTargets(blueprint: Pick<Blueprint, "pools" | "units">): AcceptanceTarget[] {
  const out: AcceptanceTarget[] = [];
  for (const pool of blueprint.pools.filter((p) => p.nodes > 0)) {
    const expectation = busBandwidthExpectation(pool.instanceType);
    if (!expectation) continue;
    const units = blueprint.units.filter((u) => u.pool === pool.name);
    for (const u of units) out.push({ name: u.name, kind: "unit", pool, nodes: u.nodes, hostnames: u.hostnames, expectation });
    out.push({ name: pool.name, kind: "pool", pool, nodes: pool.nodes, hostnames: poolHostlist(blueprint as Blueprint, pool), expectation });
  }
  return out;
}

export const jobName = (target: Pick<AcceptanceTarget, "name" | "kind">): string => `acceptance-${target.kind === "pool" ? "pool-" : ""}${target.name}`;

/** The Slurm batch script: the target's nodes exclusively, one task per GPU, the output named after the job. */
export function renderSlurmJob(target: AcceptanceTarget): string {
  const gpus = target.pool.gpusPerNode;
  const e = target.expectation;
  return [
    "#!/usr/bin/env bash",
    `#SBATCH --job-name=${jobName(target)}`,
    `#SBATCH --partition=${target.pool.name}`,
    `#SBATCH --nodes=${target.nodes}`,
    // A unit by its feature (the node-health agent's unit, slinky-gate.ts; slurm.conf's Features off Kubernetes),
    // never by node names: on Kubernetes a NodeSet's ordinals say nothing of the unit a pod landed in.
    ...(target.kind === "unit" ? [`#SBATCH --constraint=${target.name}`] : []),
    `#SBATCH --ntasks-per-node=${gpus}`,
    `#SBATCH --gres=gpu:${gpus}`,
    "#SBATCH --exclusive",
    "#SBATCH --time=01:00:00",
    "#SBATCH --output=%x-%j.out",
    `# NCCL all-reduce acceptance of ${target.kind} ${target.name}: ${target.nodes} x ${target.pool.instanceType}.`,
    `# Must reach ${e.expectedBusBandwidthGBps} GB/s bus bandwidth: ${e.source}.`,
    "# Rendered by gigafactory from the blueprint; check-results.sh reads the output.",
    "set -euo pipefail",
    ...Object.entries(EFA_ENVIRONMENT).map(([k, v]) => `export ${k}=${v}`),
    'RESULT="$(mktemp)"',
    `srun --mpi=pmix --cpu-bind=none ${NCCL_TESTS_BIN} ${ALL_REDUCE_ARGS.join(" ")} | tee "$RESULT"`,
    ...metricsLines(target, "submit the acceptance as root from a login pod"),
    "",
  ].join("\n");
}


/**
 * The result in $RESULT left as metrics on the node the script runs on, for the UnitBelowExpectedBandwidth alert
 * (served by the node-health agent's node exporter): the Slurm job's batch host, the MPIJob's launcher.
 */
function metricsLines(target: AcceptanceTarget, hint: string): string[] {
  const e = target.expectation;
  return [
    "# The result as metrics on this node, for the UnitBelowExpectedBandwidth alert (node exporter's textfile collector).",
    "# The folder is root's on the host (slurmd's pods and the launcher mount it): a job run as root, as the operator's",
    "# acceptance is, writes there; a job never fails for its metrics.",
    `METRICS_DIR="\${GF_ACCEPTANCE_METRICS_DIR:-${ACCEPTANCE_METRICS_DIR}}"`,
    'if [ -d "$METRICS_DIR" ] && [ -w "$METRICS_DIR" ]; then',
    `  read -r busbw wrong rows <<<"$(awk ${shellQuote(BUSBW_AWK)} "$RESULT")"`,
    `  labels='target="${target.name}",kind="${target.kind}",pool="${target.pool.name}"'`,
    `  printf 'gigafactory_acceptance_bus_bandwidth_gbps{%s} %s\\ngigafactory_acceptance_expected_bus_bandwidth_gbps{%s} %s\\n' "$labels" "$busbw" "$labels" ${e.expectedBusBandwidthGBps} > "$METRICS_DIR/.${jobName(target)}.prom"`,
    `  mv "$METRICS_DIR/.${jobName(target)}.prom" "$METRICS_DIR/${jobName(target)}.prom"`,
    "else",
    `  echo "acceptance: no metrics written: $METRICS_DIR is not a folder $(id -un) may write; ${hint}" >&2`,
    "fi",
  ];
}

const METRICS_VOLUME = "acceptance-metrics";

/** The launcher's mpirun, one rank per GPU of the target's nodes, its table kept, then the metrics (metricsLines). */
export function launcherScript(target: AcceptanceTarget): string {
  const gpus = target.pool.gpusPerNode;
  const mpirun = [
    "mpirun", "--allow-run-as-root", "-np", String(target.nodes * gpus), "-npernode", String(gpus), "--bind-to", "none",
    ...Object.entries(EFA_ENVIRONMENT).flatMap(([k, v]) => ["-x", `${k}=${v}`]),
    NCCL_TESTS_BIN, ...ALL_REDUCE_ARGS,
  ];
  return [
    "set -euo pipefail",
    'RESULT="$(mktemp)"',
    `${mpirun.map(shellWord).join(" ")} | tee "$RESULT"`,
    ...metricsLines(target, "the launcher runs as root with the host's folder mounted (its pod's volumes)"),
    "",
  ].join("\n");
}

/**
 * The Kubernetes MPIJob (kubeflow.org/v2beta1, run by the MPI operator, a Kueue integration) of a unit or pool: its
 * workers are held to the unit's or pool's nodes by label, and a unit's workers ask Kueue to keep within the unit's
 * network level as far as it can. Preferred, not required: a placement group does not promise that its nodes share
 * one EC2 network node of that level (docs/sources.md#kueue-topology), and a required level no node set meets would
 * never schedule; the bandwidth the job measures says whether the unit's nodes are close enough.
 */
export function kubernetesJob(blueprint: Pick<Blueprint, "topology">, target: AcceptanceTarget, image: string): KubernetesObject {
  const type = instanceType(target.pool.instanceType);
  if (!type) throw new Error(`instance type ${target.pool.instanceType} is not in the catalog`);
  const taint = acceleratorTaint(type);
  const gpus = target.pool.gpusPerNode;
  // The platform's acceptance namespace and queue (kubernetes/acceptance-queue.ts): a pool no tenant uses is accepted too.
  const namespace = ACCEPTANCE_NAMESPACE;
  const tolerations = [{ key: taint.key, operator: "Exists", effect: taint.effect }];
  const selector: Record<string, string> = target.kind === "unit" ? { [LABEL_SCALABLE_UNIT]: target.name } : { [LABEL_POOL]: target.pool.name };
  const topology: Record<string, string> = target.kind === "unit" ? { [TOPOLOGY_PREFERRED]: unitTopologyLevel(blueprint, target.pool) } : {};
  return {
    apiVersion: apiVersionOf(MPIJOB_API),
    kind: MPIJOB_API.kind,
    metadata: {
      name: jobName(target),
      namespace,
      labels: { "kueue.x-k8s.io/queue-name": LOCAL_QUEUE_NAME, [ACCEPTANCE_LABEL]: target.kind, ...selector },
      annotations: { [EXPECTED_ANNOTATION]: String(target.expectation.expectedBusBandwidthGBps), [SOURCE_ANNOTATION]: target.expectation.source },
    },
    spec: {
      slotsPerWorker: gpus,
      runPolicy: { cleanPodPolicy: "Running", backoffLimit: 0 },
      mpiImplementation: "OpenMPI",
      mpiReplicaSpecs: {
        Launcher: {
          replicas: 1,
          template: {
            spec: {
              tolerations,
              containers: [
                {
                  name: "launcher",
                  image,
                  command: ["bash", "-c", launcherScript(target)],
                  // The launcher needs no GPU: none from the NVIDIA runtime, whatever the image's default.
                  env: [{ name: "NVIDIA_VISIBLE_DEVICES", value: "void" }],
                  resources: { requests: { cpu: "1", memory: "1Gi" } },
                  volumeMounts: [{ name: METRICS_VOLUME, mountPath: ACCEPTANCE_METRICS_DIR }],
                },
              ],
              // On one of the target's nodes, where it leaves the result for that node's exporter.
              nodeSelector: selector,
              volumes: [{ name: METRICS_VOLUME, hostPath: { path: ACCEPTANCE_METRICS_DIR, type: "DirectoryOrCreate" } }],
            },
          },
        },
        Worker: {
          replicas: target.nodes,
          template: {
            metadata: { annotations: topology },
            spec: {
              nodeSelector: selector,
              tolerations,
              containers: [
                {
                  name: "worker",
                  image,
                  command: MPI_WORKER_COMMAND,
                  resources: {
                    limits: {
                      [type.accelerator === "nvidia" ? "nvidia.com/gpu" : "aws.amazon.com/neuron"]: String(gpus),
                      ...(type.efaInterfaces > 0 ? { "vpc.amazonaws.com/efa": String(type.efaInterfaces) } : {}),
                    },
                  },
                },
              ],
            },
          },
        },
      },
    },
  };
}
