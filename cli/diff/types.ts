import type { DrainAnalysis } from "../../plan/drains";
import type { KubernetesUpgrade } from "../../plan/kubernetes-upgrade";
import type { TolerationsFirst } from "../../plan/tolerations-first";

// The result of comparing two PlanSnapshots: pure data, rendered as markdown for a pull request or as JSON.

/**
 * How much a change disturbs the running factory, from harmless to irreversible:
 * - none: nothing changes;
 * - in-place: resources updated or added, no workload touched;
 * - rolling: GPU nodes drained and replaced (or removed) unit by unit;
 * - replace: a resource is deleted and created again (or deleted);
 * - data-loss: a state-bearing resource deleted or replaced, or its protection removed.
 */
export type DisruptionClass = "none" | "in-place" | "rolling" | "replace" | "data-loss";

export type ChangeKind = "create" | "delete" | "update" | "replace";

/** One input that differs, by its path in the SDK's property names (e.g. `scalingConfig.desiredSize`). */
export interface InputChange {
  path: string;
  /** Short rendering of the old value; absent for a secret, which is never shown. */
  before?: string;
  after?: string;
  secret: boolean;
  /** What this one change does, decided by the replacement table. */
  disruption: DisruptionClass;
  /** Why, when it is not obvious from the table (an unknown field, a shrinking size). */
  note?: string;
  /** For a rendered text file (several lines), its change as the hunks of a unified diff. */
  textDiff?: string;
}

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  kind: ChangeKind;
  disruption: DisruptionClass;
  stateBearing: boolean;
  inputs: InputChange[];
  /** Reasons a reviewer should read: protection removed, unknown type, provider replaced... */
  notes: string[];
  /** Pool and scalable unit the resource belongs to, when its name says so. */
  pool?: string;
  unit?: string;
  /** Tenant the resource belongs to, from its `gigafactory:tenant` tag or label. */
  tenant?: string;
  /** The layer whose stack holds it (absent in plans made before layers). */
  layer?: string;
}

/** A layer's stack the change updates, with what happens in it. */
export interface StackUpdate {
  layer: string;
  project: string;
  stack: string;
  create: number;
  update: number;
  replace: number;
  delete: number;
  disruption: DisruptionClass;
}

export interface FigureChange {
  label: string;
  before: number | string | null;
  after: number | string | null;
  unit?: string;
}

export interface PoolChange {
  name: string;
  status: "added" | "removed" | "changed" | "unchanged";
  before: PoolFigures | null;
  after: PoolFigures | null;
}

export interface PoolFigures {
  instanceType: string;
  availabilityZone: string;
  nodes: number;
  gpus: number;
  units: number;
  capacity: string;
}

export interface TenantChange {
  name: string;
  status: "added" | "removed" | "changed" | "unchanged";
  before: TenantFigures | null;
  after: TenantFigures | null;
}

export interface TenantFigures {
  gpuQuota: number;
  priority: string;
  pools: string[];
  borrowingLimitGpus: number;
  lendingLimitGpus: number;
}

export interface QuotaChange {
  key: string;
  name: string;
  neededBefore: number | null;
  neededAfter: number | null;
  defaultValue: number;
  raiseAfter: boolean;
  unit: string;
}

/** What the change means for the factory, read from the two blueprints and specs. */
export interface FactoryMeaning {
  figures: FigureChange[];
  pools: PoolChange[];
  tenants: TenantChange[];
  /** Quotas the AFTER plan needs raised, and any whose need changed. */
  quotas: QuotaChange[];
  unitsAdded: string[];
  unitsRemoved: string[];
  unitsResized: string[];
}

export interface FindingDelta {
  level: "error" | "warning" | "info";
  path: string;
  message: string;
  hint: string;
  status: "new" | "kept" | "resolved";
}

export interface DiffSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  unchanged: number;
  byDisruption: Record<DisruptionClass, number>;
}

export interface DiffResult {
  format: "gigafactory.diff/v1";
  project: string;
  stack: string;
  /** The whole change: the most disruptive class of any resource change. */
  disruption: DisruptionClass;
  /** One line per reason the whole change got its class. */
  disruptionReasons: string[];
  summary: DiffSummary;
  /** The stacks to update, in the order they deploy (lowest layer first); empty for plans made before layers. */
  stacks: StackUpdate[];
  changes: ResourceChange[];
  meaning: FactoryMeaning;
  findings: FindingDelta[];
  /** What the pull request asks for, from the two specs (absent in diffs written before it). */
  intent?: Intent;
  /** Why resources change, each traced to the spec fields it comes from. */
  consequences?: Consequence[];
  /** Same identical plans: nothing to review. */
  identical: boolean;
  /** The GPU nodes the change drains, by pool and wave (plan/drains.ts). */
  drains?: DrainAnalysis;
  /** The control plane's minor changing, with its order and notes; null when it does not. */
  kubernetes?: KubernetesUpgrade | null;
  /** Nodes gaining a taint that a higher layer's pods learn to tolerate in the same change: that layer goes first. */
  tolerationsFirst?: TolerationsFirst | null;
}

/** One field of the spec the change sets, in the spec's path (`storage.checkpoint.seconds`). */
export interface SpecChange {
  path: string;
  /** The value before; absent when the field was unset (or is a secret). */
  before?: string;
  after?: string;
  secret?: boolean;
}

/** A tenant the spec adds, removes or changes: its quota, class and cost centre. */
export interface TenantIntent {
  name: string;
  status: "added" | "removed" | "changed";
  before: TenantTerms | null;
  after: TenantTerms | null;
  /** The tenant's spec fields that changed (`gpuQuota`, `priority`...); empty for one added or removed. */
  fields: string[];
}

export interface TenantTerms {
  gpuQuota: number;
  priority: string;
  dataClassification: string;
  costCenter: string;
  pools: string[];
}

/** A pool the spec adds, removes or resizes, in scalable units and GPUs. */
export interface PoolIntent {
  name: string;
  status: "added" | "removed" | "changed";
  instanceType: string;
  unitsBefore: number;
  unitsAfter: number;
  gpusBefore: number;
  gpusAfter: number;
  nodesBefore: number;
  nodesAfter: number;
  /** The pool's spec fields that changed. */
  fields: SpecChange[];
}

/** What the pull request asks for, read from the two specs: the first thing a reviewer reads. */
export interface Intent {
  tenants: TenantIntent[];
  pools: PoolIntent[];
  /** Every other spec field changed: objectives (storage, capacity), Kubernetes, network... */
  objectives: SpecChange[];
}

/** Resources of one type that a consequence reaches, the same way. */
export interface ConsequenceResources {
  type: string;
  kind: ChangeKind;
  /** What this value's change does on its own, by the replacement table. */
  disruption: DisruptionClass;
  /** What the resource's whole change does (worse when another input replaces it). */
  resourceDisruption: DisruptionClass;
  count: number;
  /** The first by name. */
  example: string;
  /** The inputs that carry the value, and what the replacement table says of them. */
  inputs: string[];
  notes: string[];
}

/** A sized value that moved, the spec fields it moved for, and the resources it reaches. */
export interface Consequence {
  /** The spec fields this pull request changed that the value is sized from; empty when no spec field explains it. */
  causes: SpecChange[];
  /** The value's place, as a template (`tenants.{tenant}.borrowingLimitGpus`). */
  value: string;
  label: string;
  unit?: string;
  /** Each bound value that moved (a tenant's, a node group's), first few by name. */
  values: { name: string; before: string | null; after: string | null }[];
  /** How many bound values moved (more than `values` may list). */
  instances: number;
  resources: ConsequenceResources[];
  disruption: DisruptionClass;
}
