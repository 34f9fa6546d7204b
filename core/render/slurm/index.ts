import type { Blueprint } from "../../blueprint/types";
import type { RenderedFile } from "../files";
import { renderAccountsScript } from "./accounts";
import { renderAccountsCfg } from "./accounts-cfg";
import { renderCgroupConf } from "./cgroup-conf";
import { renderGresConf } from "./gres-conf";
import type { InstanceTypeLookup } from "./node";
import { POWER_DIR, renderResumeProgram, renderSuspendProgram } from "./power";
import { defaultSlurmSite, renderSlurmConf, type SlurmSite } from "./slurm-conf";
import { BLOCK_TOPOLOGY_MIN_SLURM, renderTopologyConf, topologyPlugin } from "./topology-conf";

export { renderAccountsScript, renderQosScript, slurmAccounts, slurmQosList } from "./accounts";
export { renderAccountsCfg, renderTenantAccountsCfg } from "./accounts-cfg";
export { renderCgroupConf } from "./cgroup-conf";
export { renderGresConf } from "./gres-conf";
export { defaultSlurmSite, renderSlurmConf, type SlurmSite } from "./slurm-conf";
export { renderTopologyConf, topologyPlugin } from "./topology-conf";

export type { RenderedFile } from "../files";

export const SLURM_DIR = "slurm";

export interface SlurmRenderOptions {
  site?: SlurmSite;
  lookup?: InstanceTypeLookup;
}

/** Every Slurm file of the factory: slurm.conf, gres.conf, cgroup.conf, topology.conf, the accounts (sacctmgr script and dump file) and the power-saving programs. */
export function renderSlurm(blueprint: Blueprint, options: SlurmRenderOptions = {}): RenderedFile[] {
  const { lookup } = options;
  const site = options.site ?? defaultSlurmSite(blueprint);
  return [
    { path: `${SLURM_DIR}/slurm.conf`, content: renderSlurmConf(blueprint, site, lookup) },
    { path: `${SLURM_DIR}/gres.conf`, content: renderGresConf(blueprint, lookup) },
    { path: `${SLURM_DIR}/cgroup.conf`, content: renderCgroupConf(blueprint) },
    { path: `${SLURM_DIR}/topology.conf`, content: renderTopologyConf(blueprint, lookup) },
    { path: `${SLURM_DIR}/accounts.sh`, content: renderAccountsScript(blueprint), mode: 0o755 },
    { path: `${SLURM_DIR}/accounts.cfg`, content: renderAccountsCfg(blueprint) },
    { path: `${SLURM_DIR}/${POWER_DIR}/resume`, content: renderResumeProgram(blueprint), mode: 0o755 },
    { path: `${SLURM_DIR}/${POWER_DIR}/suspend`, content: renderSuspendProgram(blueprint), mode: 0o755 },
  ];
}

/** A rendered feature a Slurm release must have: the slurm.conf settings and files that carry it. */
export interface SlurmRequirement {
  feature: string;
  minimumVersion: string;
  settings: string[];
  files: string[];
}

export function slurmRequirements(blueprint: Blueprint, lookup?: InstanceTypeLookup): SlurmRequirement[] {
  if (topologyPlugin(blueprint, lookup) !== "topology/block") return [];
  return [
    {
      feature: "NVLink block topology (topology/block with BlockSizes, switch/nvidia_imex)",
      minimumVersion: BLOCK_TOPOLOGY_MIN_SLURM,
      settings: ["TopologyPlugin", "SwitchType"],
      files: ["topology.conf"],
    },
  ];
}
