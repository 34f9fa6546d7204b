import { TENANT_ID_BASE, tenantPosixId } from "../../lib/tenant-ids";
import { instanceType } from "../../catalog/instances";
import { isLabelValue, reservedNamespace } from "../../catalog/namespaces";
import { didYouMean, oxford } from "../did-you-mean";
import { error, warning } from "../findings";
import { filePath, specPath } from "../paths";
import type { Finding } from "../schema";
import { poolPath, tenantPath, type SpecCheck } from "./context";

// Tenants: every name they use exists (pools, priorities, tenants named by pools), each name is defined
// once, and no quota promises more GPUs than the pools the tenant may run on.

function poolGpus(check: SpecCheck, pool: string): number {
  const p = check.spec.pools[pool];
  return p.nodes * (instanceType(p.instanceType)?.gpus ?? 0);
}

/** Totals over pools are judged only when every pool is known and sized. */
function gpuTotalsKnown(check: SpecCheck): boolean {
  return !check.poolsIncomplete && Object.values(check.spec.pools).every((p) => instanceType(p.instanceType) !== undefined && p.nodes > 0);
}

function checkDuplicates(check: SpecCheck): Finding[] {
  if (check.tenantsFile === undefined) return [];
  const file = check.tenantsFile;
  return Object.keys(check.fileTenants)
    .filter((name) => check.input.tenants && Object.hasOwn(check.input.tenants, name))
    .map((name) =>
      error(filePath(file, "tenants", name), `tenant ${name} is defined both here and in ${specPath("tenants", name)}`, "keep one definition of each tenant"),
    );
}

function checkReferences(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  const poolNames = Object.keys(check.spec.pools);
  const tenantNames = Object.keys(check.spec.tenants);
  const tenantInput = (name: string) => (check.input.tenants && Object.hasOwn(check.input.tenants, name) ? check.input.tenants[name] : check.fileTenants[name]);
  // Until the tenants file is read, a name a pool gives may live there.
  const tenantsKnown = check.input.tenantsFile === undefined || check.tenantsFile !== undefined;

  for (const [name, pool] of Object.entries(check.input.pools ?? {})) {
    (pool.tenants ?? []).forEach((t, i) => {
      const path = poolPath(name, "tenants", i);
      if (!Object.hasOwn(check.spec.tenants, t)) {
        if (tenantsKnown && !check.declaredTenants.has(t)) findings.push(error(path, `pool ${name} names tenant ${t}, which does not exist`, `${didYouMean(t, tenantNames)}tenants: ${tenantNames.join(", ") || "none defined"}`));
        return;
      }
      const wanted = tenantInput(t).pools;
      if (wanted !== undefined && !wanted.includes(name)) {
        findings.push(error(path, `pool ${name} admits tenant ${t}, but ${t}'s pools (${wanted.join(", ") || "none"}) leave ${name} out`, `add ${name} to the pools of tenant ${t}, or remove ${t} here`));
      }
    });
  }

  for (const [name, tenant] of Object.entries(check.spec.tenants)) {
    const input = tenantInput(name);
    (input.pools ?? []).forEach((p, i) => {
      const path = tenantPath(check, name, "pools", i);
      if (!Object.hasOwn(check.spec.pools, p)) {
        if (!check.declaredPools.has(p)) findings.push(error(path, `tenant ${name} names pool ${p}, which does not exist`, `${didYouMean(p, poolNames)}pools: ${poolNames.join(", ") || "none defined"}`));
        return;
      }
      const admitted = check.input.pools?.[p]?.tenants;
      if (admitted !== undefined && !admitted.includes(name)) {
        findings.push(error(path, `tenant ${name} asks for pool ${p}, which admits only ${admitted.join(", ") || "no tenant"}`, `add ${name} to pools.${p}.tenants, or remove ${p} here`));
      }
    });
    if (!Object.hasOwn(check.spec.priorities, tenant.priority)) {
      const known = Object.keys(check.spec.priorities);
      findings.push(error(tenantPath(check, name, "priority"), `tenant ${name} has priority ${tenant.priority}, which is not defined`, `${didYouMean(tenant.priority, known)}priorities: ${known.join(", ")} (or define it under priorities:)`));
    }
  }
  return findings;
}

function checkQuotas(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  const totalsKnown = gpuTotalsKnown(check);
  const factoryGpus = Object.keys(check.spec.pools).reduce((n, p) => n + poolGpus(check, p), 0);
  let quotaSum = 0;
  for (const [name, tenant] of Object.entries(check.spec.tenants)) {
    quotaSum += tenant.gpuQuota;
    const input = check.input.tenants && Object.hasOwn(check.input.tenants, name) ? check.input.tenants[name] : check.fileTenants[name];
    if (input.lendingLimitGpus !== undefined && input.lendingLimitGpus > tenant.gpuQuota) {
      // Kueue's ClusterQueue webhook: lendingLimit must be <= nominalQuota [P].
      findings.push(error(tenantPath(check, name, "lendingLimitGpus"), `tenant ${name} lends ${input.lendingLimitGpus} GPUs but its quota is ${tenant.gpuQuota}`, `lend at most ${tenant.gpuQuota}`));
    }
    if (!totalsKnown) continue;
    const usableGpus = tenant.pools.reduce((n, p) => n + poolGpus(check, p), 0);
    const path = tenantPath(check, name, "gpuQuota");
    if (tenant.gpuQuota > factoryGpus) {
      findings.push(error(path, `tenant ${name}'s quota of ${tenant.gpuQuota} GPUs is more than the factory's ${factoryGpus}`, `lower the quota to ${factoryGpus} or less, or add GPUs to the pools`));
    } else if (tenant.gpuQuota > usableGpus) {
      const where = tenant.pools.length > 0 ? `the ${usableGpus} GPUs of the pools it may use (${oxford(tenant.pools, "and")})` : "what it may use: no pool admits it";
      findings.push(error(path, `tenant ${name}'s quota of ${tenant.gpuQuota} GPUs is more than ${where}`, `lower the quota to ${usableGpus} or less, or let the tenant use more pools`));
    } else if (tenant.pools.length === 0) {
      findings.push(warning(tenantPath(check, name), `tenant ${name} may use no pool`, "give it pools: or let a pool admit it"));
    }
  }
  if (totalsKnown && quotaSum > factoryGpus && Object.keys(check.spec.tenants).length > 1) {
    findings.push(
      warning(
        specPath("tenants"),
        `the tenants' quotas add up to ${quotaSum} GPUs, more than the factory's ${factoryGpus}: not every tenant can have its quota at once`,
        "lower the quotas, or accept that tenants wait for each other when all are busy",
      ),
    );
  }
  return findings;
}

/** A tenant's name is its namespace; its cost centre labels that namespace. */
function checkNamespaces(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  let inherited = false;
  for (const [name, tenant] of Object.entries(check.spec.tenants)) {
    const why = reservedNamespace(name);
    if (why) findings.push(error(tenantPath(check, name), `tenant ${name} would get the namespace ${name}, which it cannot have: ${why}`, `rename the tenant (for example ${name.replace(/^kube-/, "")}-team)`));
    const own = (check.input.tenants && Object.hasOwn(check.input.tenants, name) ? check.input.tenants[name] : check.fileTenants[name])?.costCenter;
    if (own === undefined) inherited = true;
    if (own !== undefined && !isLabelValue(own)) {
      findings.push(error(tenantPath(check, name, "costCenter"), `tenant ${name}'s cost centre "${own}" cannot label its namespace`, "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
    }
  }
  if (inherited && !isLabelValue(check.spec.costCenter)) {
    findings.push(
      error(specPath("costCenter"), `the cost centre "${check.spec.costCenter}", which tenants without their own inherit, cannot label their namespaces`, "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"),
    );
  }
  return findings;
}

/** Two tenants whose names map to one POSIX id would own each other's files on the shared file system. */
function checkPosixIds(check: SpecCheck): Finding[] {
  const seen = new Map<number, string>();
  const findings: Finding[] = [];
  for (const name of Object.keys(check.spec.tenants).sort()) {
    const id = tenantPosixId(name);
    const other = seen.get(id);
    if (other !== undefined) findings.push(error(tenantPath(check, name), `tenants ${other} and ${name} map to the same file-system owner and project id ${id}`, `rename ${name} (any other name maps elsewhere)`));
    seen.set(id, name);
  }
  // A person whose uid is another tenant's id would own that tenant's share of the file system.
  for (const [name, tenant] of Object.entries(check.spec.tenants)) {
    (tenant.users ?? []).forEach((user, i) => {
      const owner = seen.get(user.uid);
      if (owner !== undefined && owner !== name) {
        findings.push(error(tenantPath(check, name, "users", i, "uid"), `uid ${user.uid} of user ${user.name} is the owner of tenant ${owner}'s share of the file system`, `give ${user.name} another uid (tenants' shares are owned by ids from ${TENANT_ID_BASE})`));
      }
    });
  }
  return findings;
}

export function validateTenants(check: SpecCheck): Finding[] {
  return [...checkDuplicates(check), ...checkReferences(check), ...checkNamespaces(check), ...checkQuotas(check), ...checkPosixIds(check)];
}
