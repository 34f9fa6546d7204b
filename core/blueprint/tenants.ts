import { tenantPosixId } from "../lib/tenant-ids";
import type { FactorySpec, Finding, PoolSpec, TenantSpec } from "../spec/schema";
import type { TenantPlan } from "./types";
import { info, warning } from "../spec/findings";
import { specPath } from "../spec/paths";
import { formatCount } from "./figures";

// Tenants' shares of the factory, and the quota arithmetic Kueue's cohorts and Slurm's QOS will enforce.
// Tenants that share a pool (directly or through others) compete for the same GPUs: they form one cohort.
// - Oversubscribed cohort (quotas above the GPUs of its pools): a warning, not an error; it is a choice,
//   and Kueue queues what does not fit (docs/sources.md#kueue-concepts [P]).
// - A tenant that may borrow everything the others lend can hold all of it while its jobs run: said once per
//   cohort as information, since the factory's queues reclaim lent GPUs by preemption (Kueue
//   reclaimWithinCohort), so a lender always gets its nominal share back.

/** A tenant runs on a pool when each names the other, or leaves its list empty (meaning all). */
export function tenantUsesPool(tenantName: string, tenant: TenantSpec, poolName: string, pool: PoolSpec): boolean {
  return (tenant.pools.length === 0 || tenant.pools.includes(poolName)) && (pool.tenants.length === 0 || pool.tenants.includes(tenantName));
}

const names = (list: string[]): string => (list.length <= 5 ? list.join(", ") : `${list.slice(0, 5).join(", ")} and ${list.length - 5} more`);

export interface TenancyResult {
  tenants: TenantPlan[];
  /** Tenants of each pool, by pool name. */
  poolTenants: Map<string, string[]>;
  findings: Finding[];
}

/** `poolGpus`: GPUs of every pool in the blueprint, by name. */
export function planTenants(spec: FactorySpec, poolGpus: Map<string, number>, totalGpus: number): TenancyResult {
  const findings: Finding[] = [];
  const tenantNames = Object.keys(spec.tenants);
  const poolNames = Object.keys(spec.pools).filter((p) => poolGpus.has(p));
  const usable = new Map<string, string[]>();
  for (const t of tenantNames) usable.set(t, poolNames.filter((p) => tenantUsesPool(t, spec.tenants[t], p, spec.pools[p])));
  const poolTenants = new Map<string, string[]>(poolNames.map((p) => [p, tenantNames.filter((t) => usable.get(t)?.includes(p))]));

  const tenants: TenantPlan[] = tenantNames.map((name) => {
    const t = spec.tenants[name];
    return {
      name,
      gpuQuota: t.gpuQuota,
      priority: t.priority,
      priorityValue: spec.priorities[t.priority] ?? 0,
      costCenter: t.costCenter,
      dataClassification: t.dataClassification,
      pools: usable.get(name) ?? [],
      borrowingLimitGpus: t.borrowingLimitGpus,
      lendingLimitGpus: t.lendingLimitGpus,
      share: totalGpus > 0 ? Math.round((t.gpuQuota / totalGpus) * 10_000) / 10_000 : 0,
      users: t.users.map((u) => ({ name: u.name, uid: u.uid, sshKeys: [...u.sshKeys] })),
      posixId: tenantPosixId(name),
    };
  });

  for (const t of tenants) {
    const own = t.pools.reduce((s, p) => s + (poolGpus.get(p) ?? 0), 0);
    if (t.pools.length === 0) {
      findings.push(warning(specPath("tenants", t.name, "pools"), `tenant ${t.name} can run on no pool`, "name a pool in the tenant's pools and allow the tenant in that pool's tenants"));
    } else if (t.gpuQuota > own) {
      findings.push(
        warning(
          specPath("tenants", t.name, "gpuQuota"),
          `tenant ${t.name} has a quota of ${formatCount(t.gpuQuota)} GPUs but its pools (${names(t.pools)}) have ${formatCount(own)}`,
          `lower gpuQuota to ${formatCount(own)} or give the tenant more pools`,
        ),
      );
    }
  }

  // Kueue meters quota per pool (one ResourceFlavor each): a pool whose share of the quotas is more than its
  // GPUs cannot give every tenant its nominal share there, even when the cohort as a whole has room.
  const perPool = poolNominalQuotas(tenants, poolGpus);
  for (const [pool, nominal] of perPool) {
    const gpus = poolGpus.get(pool) ?? 0;
    if (nominal > gpus && cohortOf(tenants, pool).length > 0) {
      findings.push(
        warning(
          specPath("pools", pool),
          `the tenants' quotas on pool ${pool} add up to ${formatCount(nominal)} GPUs, more than its ${formatCount(gpus)}: a tenant may wait there for GPUs its quota promises`,
          `name the pools of tenants that use several (tenants.<name>.pools) so each pool's share of the quotas fits it`,
        ),
      );
    }
  }

  for (const cohort of cohorts(tenants)) {
    const pools = [...new Set(cohort.flatMap((t) => t.pools))];
    const gpus = pools.reduce((s, p) => s + (poolGpus.get(p) ?? 0), 0);
    const quota = cohort.reduce((s, t) => s + t.gpuQuota, 0);
    if (quota > gpus) {
      findings.push(
        warning(
          specPath("tenants"),
          `tenants ${names(cohort.map((t) => t.name))} hold ${formatCount(quota)} GPUs of quota on pools ${names(pools)}, which have ${formatCount(gpus)}: oversubscribed by ${formatCount(quota - gpus)}`,
          "fine when tenants do not all run at once (Kueue queues the rest); to guarantee every quota, keep their sum within the pools' GPUs",
        ),
      );
    }
    const unassigned = Math.max(0, gpus - quota);
    const lent = cohort.reduce((s, t) => s + Math.min(t.lendingLimitGpus, t.gpuQuota), 0);
    const takers = cohort.filter((t) => {
      const othersLend = lent - Math.min(t.lendingLimitGpus, t.gpuQuota);
      return othersLend > 0 && t.borrowingLimitGpus >= othersLend + unassigned;
    });
    if (takers.length > 0) {
      // One finding per cohort: with elastic defaults every tenant qualifies, and hundreds of lines would bury it.
      const path = takers.length === 1 ? specPath("tenants", takers[0].name, "borrowingLimitGpus") : specPath("tenants");
      const first = takers[0];
      const othersLend = lent - Math.min(first.lendingLimitGpus, first.gpuQuota);
      findings.push(
        info(
          path,
          `${takers.length === 1 ? "tenant" : `${takers.length} tenants:`} ${names(takers.map((t) => t.name))} may borrow everything the rest of the cohort lends (${first.name}: ${formatCount(first.borrowingLimitGpus)} GPUs against ${formatCount(othersLend)} lent); a lender that needs its GPUs back gets them by preemption of the borrower's jobs`,
          "cap borrowingLimitGpus below what the others lend to keep borrowed work from being preempted",
        ),
      );
    }
  }
  return { tenants, poolTenants, findings };
}

/** Tenants grouped by shared pools (connected components), in the order tenants are declared. */
function cohorts(tenants: TenantPlan[]): TenantPlan[][] {
  const parent = tenants.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const firstOnPool = new Map<string, number>();
  tenants.forEach((t, i) => {
    for (const p of t.pools) {
      const j = firstOnPool.get(p);
      if (j === undefined) firstOnPool.set(p, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, TenantPlan[]>();
  tenants.forEach((t, i) => {
    if (t.pools.length === 0) return;
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(t);
    else groups.set(root, [t]);
  });
  return [...groups.values()];
}

/**
 * `total` split over `weights` in proportion, in whole units, summing exactly to `total` (largest remainders;
 * ties to the first). All-zero weights give all to nothing: every part is 0 and the total is not met.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/** One tenant's quota on one pool, in GPUs: what Kueue's ClusterQueue holds for the pool's ResourceFlavor. */
export interface PoolQuota {
  pool: string;
  nominalGpus: number;
  borrowingLimitGpus: number;
  lendingLimitGpus: number;
}

/**
 * A tenant's quota, borrowing and lending limits split over its pools: nominal and borrowing in proportion to
 * the pools' GPUs, lending in proportion to the nominal share of each pool (never more than it). Each sums to
 * the tenant's figure, so Kueue's queues hold exactly what the spec and Slurm's QOS say.
 */
export function tenantPoolQuotas(tenant: Pick<TenantPlan, "pools" | "gpuQuota" | "borrowingLimitGpus" | "lendingLimitGpus">, poolGpus: ReadonlyMap<string, number>): PoolQuota[] {
  const pools = tenant.pools.filter((p) => poolGpus.has(p));
  const weights = pools.map((p) => poolGpus.get(p) ?? 0);
  const nominal = apportion(tenant.gpuQuota, weights);
  const borrowing = apportion(tenant.borrowingLimitGpus, weights);
  const lending = apportion(Math.min(tenant.lendingLimitGpus, tenant.gpuQuota), nominal);
  return pools.map((pool, i) => ({ pool, nominalGpus: nominal[i], borrowingLimitGpus: borrowing[i], lendingLimitGpus: lending[i] }));
}

/** The sum of the tenants' nominal quotas on each pool. */
export function poolNominalQuotas(tenants: readonly TenantPlan[], poolGpus: ReadonlyMap<string, number>): Map<string, number> {
  const sums = new Map<string, number>([...poolGpus.keys()].map((p) => [p, 0]));
  for (const t of tenants) for (const q of tenantPoolQuotas(t, poolGpus)) sums.set(q.pool, (sums.get(q.pool) ?? 0) + q.nominalGpus);
  return sums;
}

function cohortOf(tenants: readonly TenantPlan[], pool: string): TenantPlan[] {
  return tenants.filter((t) => t.pools.includes(pool));
}
