// Where the node-health agent keeps what it knows on a node, and how often it looks: read by the agent's two
// containers (agent-scripts.ts), by slurmd's health programs on Kubernetes (slinky-gate.ts) and by the NodeSets'
// volumes (slurm/slinky-values.ts).

/** Seconds between two checks on a node, as Slurm's HealthCheckInterval. */
export const AGENT_INTERVAL_S = 300;

// Three of the agent's intervals without a word and the node is taken as unknown, not as healthy [U: project choice].
export const STATUS_MAX_AGE_S = 3 * AGENT_INTERVAL_S;

/** Seconds between two looks of the agent's Kubernetes side at the checks' report: a taint follows within this. */
export const TAINT_POLL_S = 10;

/** The agent's state on the host: the burn-in marker under it, the textfile folder in it. */
export const NODE_STATE_DIR = "/var/lib/gigafactory";

// On the host: the agent's status, unit and metrics, served by its node exporter; slurmd's pods only read it.
export const TEXTFILE_DIR = `${NODE_STATE_DIR}/textfile`;

/** The agent's last word on the node, on the host: `<ok|failed|burn-in> <epoch seconds> <reason>` (Slurm on
 * Kubernetes reads it, slinky-gate.ts). Not a .prom file, so the node exporter leaves it alone. */
export const HEALTH_STATUS_FILE = `${TEXTFILE_DIR}/node-health.status`;

/** The node's scalable unit, as the agent learned it, on the host: slurmd's health check makes it a Slurm node
 * feature (slinky-gate.ts), so a job can ask for a unit by name although a NodeSet's ordinals say nothing of units. */
export const SCALABLE_UNIT_FILE = `${TEXTFILE_DIR}/scalable-unit`;

/** Where the agent's containers hand each other what only one of them can learn (the node's pool): an emptyDir. */
export const AGENT_SHARED_DIR = "/run/gigafactory/agent";
export const AGENT_POOL_FILE = "pool";
