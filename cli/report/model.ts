import type { Blueprint } from "../../core/blueprint/types";
import type { PlanSnapshot } from "../../plan/snapshot";
import { bytes, count, eur, fixed, percent, power } from "./format";
import { nodeImagesSection } from "./node-images";
import type { Report, Section, Table } from "./types";

// What a plan says, in the order a platform engineer reads it: the factory at a glance, then pools, network,
// node images, network, fabric, storage, quotas, layers, resources and warnings. Built from the Blueprint and the snapshot only;
// text and markdown render the same model.

export type { Report, Section, Table } from "./types";

export interface ReportInput {
  snapshot: PlanSnapshot;
  /** Warnings from outside the spec: data sources nobody answered, the program's own warnings. */
  warnings?: string[];
  /** How long each layer's program took offline (a plan reports it; a snapshot read back has none). */
  timings?: readonly { layer: string; seconds: number }[];
}

const table = (columns: [string, boolean][], rows: string[][]): Table => ({
  columns: columns.map(([c]) => c),
  numeric: columns.map(([, n]) => n),
  rows,
});

export function planReport({ snapshot, warnings = [], timings = [] }: ReportInput): Report {
  const bp = snapshot.blueprint as unknown as Blueprint;
  return {
    title: `gigafactory plan: ${bp.factory} (stack ${snapshot.stack}, ${bp.region})`,
    sections: [
      summary(bp, snapshot),
      pools(bp),
      nodeImagesSection(snapshot),
      network(bp),
      fabric(bp),
      storage(bp, snapshot),
      quotas(bp),
      layers(snapshot, timings),
      resources(snapshot),
      warningsOf(snapshot, warnings),
    ].filter((s) => s.facts.length + s.tables.length + s.notes.length > 0),
  };
}

function summary(bp: Blueprint, snapshot: PlanSnapshot): Section {
  const tenantGpus = bp.tenants.reduce((sum, t) => sum + t.gpuQuota, 0);
  return {
    title: "Factory",
    facts: [
      ["factory", bp.factory],
      ["region", `${bp.region} (partition ${bp.partition})`],
      ["GPUs", count(bp.totalGpus)],
      ["nodes", count(bp.nodes)],
      ["scalable units", `${count(bp.scalableUnits)} (${[...new Set(bp.pools.map((p) => p.unitNodes))].map((n) => `${n} nodes`).join(", ")} each)`],
      ["tenants", `${count(bp.tenants.length)} (GPU quotas ${count(tenantGpus)})`],
      ["power", `${powerText(bp.powerKW)} (GPU nodes at full draw, before cooling)`],
      ["cost", `${eur(bp.costPerHourEUR)} per hour, ${eur(bp.costPerMonthEUR)} per month (estimate, on-demand list prices)`],
      ["resources", count(snapshot.resources.length)],
    ],
    tables: [],
    notes: bp.estimates.map((e) => `estimate: ${e}`),
  };
}

/** Megawatts, as a site is sized; a small factory in kilowatts. */
const powerText = (kW: number): string => power(kW);

const plural = (n: number, what: string) => `${count(n)} ${what}${n === 1 ? "" : "s"}`;

function capacityOf(p: Blueprint["pools"][number]): string {
  const c = p.capacity;
  if (c.source === "odcr" && c.reservations !== undefined) return `odcr: ${plural(c.reservations.length, "delivered reservation")}, ${count(c.reservations.reduce((s, r) => s + r.instances, 0))} instances`;
  if (c.source === "odcr") return `odcr: created by the stack, ${count(p.nodes)} reserved`;
  if (c.source === "capacity-block") return `capacity-block (${plural(c.blocks.length, "block")})`;
  return c.source;
}

/** Every reservation the pools name (or the stack creates), with the units and node groups mapped onto it. */
export function reservationsTable(bp: Pick<Blueprint, "pools" | "units" | "nodeGroups">): Table | undefined {
  const rows: string[][] = [];
  for (const p of bp.pools) {
    const c = p.capacity;
    const named = c.source === "capacity-block" ? c.blocks.map((b) => ({ name: b.reservationId, zone: b.availabilityZoneId ?? p.availabilityZone, instances: b.instances, kind: "capacity block" }))
      : c.source === "odcr" && c.reservations !== undefined
        ? c.reservations.map((r) => ({ name: r.reservationId ?? r.resourceGroupArn ?? "", zone: r.availabilityZoneId, instances: r.instances, kind: r.reservationId !== undefined ? "ODCR (delivered)" : "ODCR group (delivered)" }))
        : [];
    for (const r of named) {
      const units = bp.units.filter((u) => u.pool === p.name && (u.capacityReservationId === r.name || u.capacityReservationGroupArn === r.name));
      const groups = new Set(units.map((u) => u.nodeGroup)).size;
      const used = units.reduce((s, u) => s + u.nodes, 0);
      rows.push([p.name, r.name, r.kind, r.zone, count(r.instances), count(used), count(units.length), count(groups)]);
    }
    if (c.source === "odcr" && c.reservations === undefined) {
      for (const g of bp.nodeGroups.filter((x) => x.pool === p.name)) rows.push([p.name, `(created) ${g.name}`, "ODCR (created by the stack)", g.availabilityZone, count(g.nodes), count(g.nodes), count(g.units.length), "1"]);
    }
  }
  if (rows.length === 0) return undefined;
  return table([["pool", false], ["reservation", false], ["kind", false], ["AZ", false], ["instances", true], ["used", true], ["units", true], ["node groups", true]], rows);
}

function pools(bp: Blueprint): Section {
  return {
    title: "Pools",
    facts: [],
    tables: [
      table(
        [["pool", false], ["type", false], ["AZ", false], ["nodes", true], ["GPUs", true], ["units", true], ["capacity", false], ["placement", false]],
        bp.pools.map((p) => [
          p.name,
          `${p.instanceType} (${p.gpusPerNode}x ${p.gpuModel})`,
          p.availabilityZone,
          count(p.nodes),
          count(p.gpus),
          `${count(p.units.length)} x ${p.unitNodes}`,
          capacityOf(p),
          p.placement === "cluster" ? placementOf(bp.nodeGroups.filter((g) => g.pool === p.name)) : "none",
        ]),
      ),
      ...[reservationsTable(bp)].filter((t): t is Table => t !== undefined),
    ],
    notes: [],
  };
}

function network(bp: Blueprint): Section {
  const n = bp.network;
  const roles = ["gpu", "system", "endpoints"].map((role) => `${n.subnets.filter((s) => s.role === role).length} ${role}`).join(", ");
  return {
    title: "Network",
    facts: [
      ["VPC CIDRs", n.vpcCidrs.join(", ")],
      ["pod addressing", n.podAddressing],
      ["addresses", `${count(n.addressesNeeded)} used of ${count(n.addressesUsable)} usable (${percent(n.addressesUsable > 0 ? n.addressesNeeded / n.addressesUsable : 0)})`],
      ["max subnet use", percent(n.maxSubnetUtilisation)],
      ["subnets", `${n.subnets.length} (${roles})`],
      ["egress", n.natGateway ? "NAT gateway" : "none: VPC endpoints only"],
    ],
    tables: [],
    notes: [],
  };
}

function fabric(bp: Blueprint): Section {
  const f = bp.fabric;
  return {
    title: "Fabric (EFA)",
    facts: [
      ["EFA interfaces", count(f.efaInterfaces)],
      ["aggregate scale-out", `${fixed(f.aggregateTbps, 1)} Tbps`],
    ],
    tables: [
      table(
        [["pool", false], ["EFA per node", true], ["Gbps per node", true], ["Gbps per unit", true]],
        f.pools.map((p) => [p.pool, count(p.efaInterfacesPerNode), count(p.gbpsPerNode), count(p.gbpsPerUnit)]),
      ),
    ],
    notes: [],
  };
}

function storage(bp: Blueprint, snapshot: PlanSnapshot): Section {
  const s = bp.storage;
  const objective = (snapshot.spec as { storage?: { checkpoint?: { seconds?: number } } }).storage?.checkpoint?.seconds;
  return {
    title: "Storage (FSx for Lustre)",
    facts: [
      ["file system", `${s.deploymentType}, ${fixed(s.capacityTiB, 1)} TiB at ${s.perUnitStorageThroughputMBpsPerTiB} MB/s/TiB in ${s.availabilityZone}`],
      ["throughput", `${count(s.throughputMBps)} MB/s (needed ${count(s.requiredThroughputMBps)} MB/s)`],
      [
        "checkpoint",
        `${bytes(s.checkpointBytes)}: objective ${objective === undefined ? "n/a" : `${fixed(objective, 0)} s`}, achieved ${fixed(s.checkpointSeconds, 1)} s${s.meetsObjective ? "" : " (objective NOT met)"}`,
      ],
      ["read rate", `${fixed(s.readMBpsPerGpu, 1)} MB/s per GPU`],
      // EFA, the deployment type and the metadata mode are fixed when the file system is created: say so up front.
      [
        "EFA",
        s.efaEnabled
          ? "on: GPU nodes reach it over LNet on their EFA interfaces (fixed at creation; capacity grows in the tier's EFA steps); GPUDirect Storage is not set up on the nodes"
          : "off: TCP clients (fixed at creation; turning it on later means a new file system)",
      ],
      ...(s.efaChoice ? [["EFA choice", s.efaChoice === "pinned" ? "pinned by storage.lustre.efa" : "chosen from the throughput: pin it with storage.lustre.efa"] as [string, string]] : []),
      ...(s.metadata ? metadataFacts(s.metadata) : []),
      ["mounted", "at /fsx on every GPU node; each tenant's pods mount its share, /tenants/<tenant>, through the claim lustre in its namespace"],
      ["cost", `${eur(s.costPerMonthEUR)} per month (estimate)`],
    ],
    tables: [],
    notes: [],
  };
}

/** The metadata mode, what it gives, and what the objectives need from it, with the file counts behind that. */
function metadataFacts(m: Blueprint["storage"]["metadata"]): [string, string][] {
  // A snapshot written before metadata was sized carries the mode only.
  if (m.requiredIops === undefined) return [["metadata", m.mode]];
  const mode =
    m.mode === "AUTOMATIC"
      ? `AUTOMATIC: ${count(m.iops)} IOPS at this capacity, scaled by FSx as it grows`
      : `USER_PROVISIONED, ${count(m.iops)} IOPS${m.choice === "pinned" ? " (pinned by storage.lustre.metadataIops)" : " (more than AUTOMATIC's " + count(m.automaticIops) + " at this capacity)"}; can be raised, never lowered`;
  const files = `${count(m.datasetFiles)} dataset files${m.datasetFilesSource === "assumed" ? " (assumed 256 MB shards: set storage.datasetFiles)" : ""}${m.epochSeconds > 0 ? ` read in an epoch of ${count(m.epochSeconds)} s` : ""}; ${count(m.checkpointFiles)} checkpoint files per checkpoint`;
  return [
    ["metadata", mode],
    ["metadata needed", `${count(m.requiredIops)} IOPS: ${files}`],
  ];
}

function quotas(bp: Blueprint): Section {
  const raise = bp.quotas.filter((q) => q.raise);
  return {
    title: "Service quotas to raise",
    facts: [],
    tables: raise.length
      ? [
          table(
            [["quota", false], ["needed", true], ["AWS default", true], ["service", false], ["quota code", false]],
            raise.map((q) => [q.name, count(q.needed), count(q.defaultValue), q.serviceCode, q.quotaCode]),
          ),
        ]
      : [],
    notes: [`${raise.length} of ${bp.quotas.length} quotas need a raise; \`gigafactory quotas --stack <stack>\` lists them all`],
  };
}

function resources(snapshot: PlanSnapshot): Section {
  const byType = new Map<string, number>();
  for (const r of snapshot.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const rows = [...byType.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([type, n]) => [type, count(n)]);
  return {
    title: `Resources (${count(snapshot.resources.length)})`,
    facts: [],
    tables: [table([["type", false], ["count", true]], rows)],
    notes: [],
  };
}

/** The stacks the factory deploys as, in order: each one's resources, and its time offline when just planned. */
function layers(snapshot: PlanSnapshot, timings: NonNullable<ReportInput["timings"]>): Section {
  if (!snapshot.layers?.length) return { title: "Layers", facts: [], tables: [], notes: [] };
  const seconds = new Map(timings.map((t) => [t.layer, t.seconds]));
  const rows = snapshot.layers.map((l) => {
    const n = snapshot.resources.filter((r) => r.layer === l.name).length;
    const s = seconds.get(l.name);
    return [l.name, `${l.project}/${l.stack}`, count(n), s === undefined ? "" : `${fixed(s, 1)} s`];
  });
  return {
    title: "Layers",
    facts: [],
    tables: [table([["layer", false], ["stack (project/stack)", false], ["resources", true], ["plan time", true]], rows)],
    notes: ["deploy in this order; each layer reads the ones above it in this table through stack references"],
  };
}

function warningsOf(snapshot: PlanSnapshot, extra: string[]): Section {
  const notes = [
    ...snapshot.findings.filter((f) => f.level === "warning").map((f) => `warning ${f.path}: ${f.message}${f.hint ? ` — ${f.hint}` : ""}`),
    ...snapshot.findings.filter((f) => f.level === "info").map((f) => `info ${f.path}: ${f.message}${f.hint ? ` — ${f.hint}` : ""}`),
    ...extra,
  ];
  return { title: "Warnings", facts: [], tables: [], notes };
}

/** A cluster placement group is one node group's: per unit while groups hold one unit, else per group of units. */
function placementOf(groups: readonly { units: readonly string[] }[]): string {
  const most = Math.max(1, ...groups.map((g) => g.units.length));
  return most === 1 ? "cluster group per unit" : `cluster group per node group (up to ${most} units)`;
}
