// How EKS updates a managed node group's nodes, and how long that takes: the figures the review's drain estimate uses.

/** The EKS API's limit on updateConfig.maxUnavailable (UpdateNodegroupConfig, docs/sources.md#eks-node-update-behavior [P]). */
export const MAX_UNAVAILABLE_LIMIT = 100;

// An update evicts a node's pods and waits for them to leave; a pod still there after 15 minutes fails the update with
// PodEvictionFailure unless forced (docs/sources.md#eks-node-update-behavior [P]). A drain takes at most that.
export const DRAIN_MINUTES_PER_NODE = 15;

// From the EC2 launch of a p5-class instance to a Ready node: firmware and the NVIDIA driver's GPU and EFA bring-up,
// nodeadm's join, the RAID0 of the local NVMe drives, the node-health agent's checks [U: project estimate].
export const BOOT_MINUTES_PER_NODE = 15;

/** Minutes one batch of a node group's update takes: its nodes drain, then their replacements boot (MINIMAL strategy). */
export const MINUTES_PER_BATCH = DRAIN_MINUTES_PER_NODE + BOOT_MINUTES_PER_NODE;
