import type { Blueprint, PoolPlan } from "../../blueprint/types";
import { instanceType } from "../../catalog/instances";
import type { InstanceType } from "../../catalog/types";

// What a healthy node of each pool shows: the accelerators and EFA devices its instance type has (the catalog,
// docs/sources.md#karpenter-instance-types [P]), and how deep each phase of the node's life looks at them.

export type HealthPhase = "healthcheck" | "prolog" | "epilog" | "burn-in";
export const HEALTH_PHASES: readonly HealthPhase[] = ["healthcheck", "prolog", "epilog", "burn-in"];

// DCGM diagnostic run levels (DCGM user guide, "Run levels" [P]): 1 quick deployment and software checks in
// seconds, 2 medium (~2 minutes, loads the GPUs), 3 long hardware diagnostics (15-30 minutes), 4 extra long.
// - healthcheck: level 1, it runs while jobs hold the GPUs and must not load them;
// - prolog: none, it runs before every job and only counts devices and reads the kernel log (seconds);
// - epilog: level 1, after every job, to catch a fault the job's load revealed;
// - burn-in: level 2, the most that fits before a new node must register: slurmd runs the health check before
//   it registers and a resumed node has ResumeTimeout (1,800 s) to do so; level 3 would not fit.
export const DCGM_LEVEL: Readonly<Record<HealthPhase, 0 | 1 | 2 | 3 | 4>> = {
  healthcheck: 1,
  prolog: 0,
  epilog: 1,
  "burn-in": 2,
};

// Xid events after which the GPU needs a reset, a reboot or a replacement rather than a restarted job (NVIDIA Xid
// catalog, resolution buckets RESET_GPU / RESTART_BM / CONTACT_SUPPORT, docs.nvidia.com/deploy/xid-errors [S: read
// through NVIDIA's Health Validation Xid checks, which drain on them]): 48 double-bit ECC, 64 row-remap failure,
// 74 NVLink error, 79 GPU fallen off the bus, 92 high single-bit ECC rate, 94/95 contained/uncontained ECC,
// 119/120 GSP timeout/error. Application faults (13, 31, 43, 45) are the job's, not the node's.
export const DRAINING_XIDS: readonly number[] = [48, 64, 74, 79, 92, 94, 95, 119, 120];

export interface NodeExpectation {
  pool: string;
  /** Host names of the pool start with `<prefix>-`. */
  hostnamePrefix: string;
  instanceType: string;
  accelerator: InstanceType["accelerator"];
  gpuModel: string;
  /** Accelerators the node must show (nvidia-smi for NVIDIA; neuron-ls for Trainium). */
  gpus: number;
  /** EFA devices libfabric must list (fi_info -p efa). */
  efaDevices: number;
  /** The node's scale-out bandwidth, Gbps (catalog). */
  networkGbps: number;
}

export function nodeExpectation(pool: PoolPlan, type: InstanceType | undefined = instanceType(pool.instanceType)): NodeExpectation {
  if (!type) throw new Error(`instance type ${pool.instanceType} of pool ${pool.name} is not in the catalog`);
  return {
    pool: pool.name,
    hostnamePrefix: pool.hostnamePrefix,
    instanceType: type.name,
    accelerator: type.accelerator,
    gpuModel: type.gpuModel,
    gpus: type.gpus,
    efaDevices: type.efaInterfaces,
    networkGbps: type.networkGbps,
  };
}

/** Every pool with nodes, in blueprint order. */
export function nodeExpectations(blueprint: Pick<Blueprint, "pools">): NodeExpectation[] {
  return blueprint.pools.filter((p) => p.nodes > 0).map((p) => nodeExpectation(p));
}
