/**
 * The acceptance jobs' results as textfile metrics on the host, served by the node-health agent's node exporter
 * beside the agent's own TEXTFILE_DIR, both under its NODE_STATE_DIR (health/agent-paths.ts). Apart from TEXTFILE_DIR
 * because slurmd's pods mount this one writable: kubelet makes it root's with mode 0755
 * (docs/sources.md#kubernetes-hostpath), so a job run as root (the operator's acceptance, submitted from a login pod)
 * writes there and a tenant's job, run as the tenant's user, cannot; the health status Slurm trusts stays in
 * TEXTFILE_DIR, which slurmd's pods only read.
 */
export const ACCEPTANCE_METRICS_DIR = "/var/lib/gigafactory/acceptance";
