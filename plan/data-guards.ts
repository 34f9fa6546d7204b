// What keeps data when a resource goes, judged by the property wherever it appears, on any resource type:
// reclaim policies, deletion protection, final snapshots and backups, force-destroy, skip-destroy, retention
// and recovery windows. A change that takes one away puts data at risk, whatever the type (a StorageClass whose
// volumes turn from Retain to Delete loses them with their claims).

export interface DataGuardRule {
  /** The property's name, as any provider spells it. */
  names: readonly string[];
  /** What the guard keeps, for the review's note. */
  keeps: string;
  /** True when the value keeps the data (undefined: the provider's default). */
  guarded(value: unknown): boolean;
  /** It keeps other resources' data (a StorageClass's volumes), so it matters on a resource that holds none itself. */
  forOthers?: boolean;
}

const isTrue = (v: unknown) => v === true || v === "true";
const isFalse = (v: unknown) => v === false || v === "false";

/** A number of days (or hours) a service keeps what is deleted or expires; "forever" is Infinity. */
export interface RetentionRule {
  names: readonly string[];
  keeps: string;
  /** The value that means "kept forever" when the service has one (CloudWatch Logs: absent or 0). */
  forever?(value: unknown): boolean;
}

export const DATA_GUARD_RULES: readonly DataGuardRule[] = [
  // Kubernetes: a volume's reclaim policy; Delete is the StorageClass default (docs/sources.md#pulumi-kubernetes-diff).
  { names: ["reclaimPolicy", "persistentVolumeReclaimPolicy"], keeps: "the volumes after their claims go", guarded: (v) => v === "Retain", forOthers: true },
  { names: ["deletionProtection", "deletionProtectionEnabled", "enableDeletionProtection", "terminationProtection", "disableApiTermination"], keeps: "the resource against a delete", guarded: isTrue },
  // RDS takes a final snapshot unless told to skip it; FSx skips its final backup unless told not to.
  { names: ["skipFinalSnapshot"], keeps: "a final snapshot when it is deleted", guarded: (v) => !isTrue(v) },
  { names: ["skipFinalBackup"], keeps: "a final backup when it is deleted", guarded: isFalse },
  { names: ["finalSnapshot"], keeps: "a final snapshot when it is deleted", guarded: isTrue },
  { names: ["forceDestroy", "forceDelete"], keeps: "its content: a delete fails while it holds data", guarded: (v) => !isTrue(v) },
  { names: ["skipDestroy"], keeps: "the resource when the stack deletes it", guarded: isTrue },
];

export const RETENTION_RULES: readonly RetentionRule[] = [
  { names: ["retentionInDays"], keeps: "log events", forever: (v) => v === undefined || v === null || v === 0 || v === "0" },
  { names: ["backupRetentionPeriod", "automaticBackupRetentionDays", "retentionPeriod", "retentionPeriodHours", "retentionDays"], keeps: "backups and retained data" },
  { names: ["recoveryWindowInDays", "deletionWindowInDays"], keeps: "the time to undo a delete" },
];

export interface RemovedGuard {
  /** Dotted path in the inputs, e.g. `reclaimPolicy` or `spec.persistentVolumeReclaimPolicy`. */
  path: string;
  what: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function retentionOf(rule: RetentionRule, v: unknown): number | undefined {
  if (rule.forever?.(v)) return Infinity;
  return numberOf(v);
}

const MAX_DEPTH = 12;

/** The keys of both sides at one level; a guard removed where a key is on one side only counts too. */
function keysOf(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])];
}

/** Every guard an update takes away, found by name at any depth of the inputs (lists matched by position). */
export function removedDataGuards(before: unknown, after: unknown, path = "", depth = 0): RemovedGuard[] {
  if (depth > MAX_DEPTH) return [];
  const out: RemovedGuard[] = [];
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.min(before.length, after.length); i++) out.push(...removedDataGuards(before[i], after[i], path ? `${path}[${i}]` : `[${i}]`, depth + 1));
    return out;
  }
  if (!isRecord(before) || !isRecord(after)) return out;
  for (const key of keysOf(before, after)) {
    const at = path ? `${path}.${key}` : key;
    const was = before[key];
    const now = after[key];
    const guard = DATA_GUARD_RULES.find((r) => r.names.includes(key));
    if (guard && guard.guarded(was) && !guard.guarded(now)) {
      out.push({ path: at, what: `${key} ${JSON.stringify(was)} → ${now === undefined ? "removed" : JSON.stringify(now)} no longer keeps ${guard.keeps}` });
      continue;
    }
    const retention = RETENTION_RULES.find((r) => r.names.includes(key));
    if (retention) {
      const a = retentionOf(retention, was);
      const b = retentionOf(retention, now);
      if (a !== undefined && b !== undefined && b < a) {
        out.push({ path: at, what: `${key} ${a === Infinity ? "forever" : a} → ${b} keeps ${retention.keeps} for less time` });
      }
      continue;
    }
    if ((isRecord(was) && isRecord(now)) || (Array.isArray(was) && Array.isArray(now))) out.push(...removedDataGuards(was, now, at, depth + 1));
  }
  return out;
}

/**
 * Every guard a resource's inputs set to the value that lets data go, wherever it sits (at most 12 levels deep):
 * all of them on a resource that holds data, those that keep other resources' data on any other.
 */
export function unguardedDataGuards(inputs: unknown, holdsData: boolean, path = "", depth = 0): RemovedGuard[] {
  if (depth > MAX_DEPTH) return [];
  const out: RemovedGuard[] = [];
  if (Array.isArray(inputs)) {
    inputs.forEach((item, i) => out.push(...unguardedDataGuards(item, holdsData, path ? `${path}[${i}]` : `[${i}]`, depth + 1)));
    return out;
  }
  if (!isRecord(inputs)) return out;
  for (const [key, value] of Object.entries(inputs)) {
    const at = path ? `${path}.${key}` : key;
    const guard = DATA_GUARD_RULES.find((r) => r.names.includes(key) && (holdsData || r.forOthers));
    if (guard && value !== undefined && value !== null && !guard.guarded(value)) out.push({ path: at, what: `${key} is ${JSON.stringify(value)}: it no longer keeps ${guard.keeps}` });
    else if (!guard) out.push(...unguardedDataGuards(value, holdsData, at, depth + 1));
  }
  return out;
}

/** True when the inputs carry a property that keeps other resources' data (a reclaim policy). */
export function carriesDataGuards(inputs: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH || inputs === null || typeof inputs !== "object") return false;
  if (Array.isArray(inputs)) return inputs.some((item) => carriesDataGuards(item, depth + 1));
  return Object.entries(inputs).some(([key, value]) => DATA_GUARD_RULES.some((r) => r.forOthers && r.names.includes(key)) || carriesDataGuards(value, depth + 1));
}
