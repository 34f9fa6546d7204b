import type { Blueprint } from "../../blueprint/types";

// cgroup.conf: a job gets the cores, memory and GPUs it was allocated, and no others. cgroup v2 and no systemd,
// as slurmd runs in a container on the nodes (Slinky slurm chart values, cgroup.conf example [P]; the EKS
// AL2023 AMIs run cgroup v2, Amazon Linux 2023 user guide [P]).
export function renderCgroupConf(blueprint: Blueprint): string {
  return [
    `# cgroup.conf of ${blueprint.factory}: rendered by gigafactory; change the spec, not this file.`,
    "CgroupPlugin=cgroup/v2",
    "IgnoreSystemd=yes",
    "ConstrainCores=yes",
    "ConstrainRAMSpace=yes",
    "ConstrainSwapSpace=yes",
    "ConstrainDevices=yes",
    "",
  ].join("\n");
}
