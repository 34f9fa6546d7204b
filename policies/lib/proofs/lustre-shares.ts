import { asRecord, asString } from "../values";
import type { Finding, Proof } from "./types";
import type { PlanView } from "./view";

// Each tenant's Lustre share: a PersistentVolume of the FSx CSI driver that mounts the tenant's own directory
// (`<mount>/tenants/<tenant>`), under a volume handle no other volume has, bound in advance to a claim in the
// tenant's namespace (so no other namespace can claim it), with a group id of its own that owns the directory;
// no claim elsewhere names it, and no other tenant's volume mounts a directory above or below it. Volumes of the
// platform that mount above a tenant's directory (Slurm's login, the whole file system) are listed: there the
// directory's owner and mode decide.

const PV = "kubernetes:core/v1:PersistentVolume";
const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const FSX_DRIVER = "fsx.csi.aws.com";
const GID = "pv.beta.kubernetes.io/gid";

interface Share {
  urn: string;
  name?: string;
  tenant?: string;
  fileSystem?: string;
  path?: string;
  handle?: string;
  claimNamespace?: string;
  gid?: string;
}

/** Whether directory a is b or inside it ("" is the file system's root). */
const under = (a: string, b: string) => b === "" || a === b || a.startsWith(`${b}/`);

export function lustreProof(view: PlanView): Proof {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const shares: Share[] = view.ofType(PV).flatMap((pv): Share[] => {
    const spec = asRecord(pv.props.spec) ?? {};
    const csi = asRecord(spec.csi);
    if (asString(csi?.driver) !== FSX_DRIVER) return [];
    const attrs = asRecord(csi?.volumeAttributes) ?? {};
    const mount = asString(attrs.mountname);
    const handle = asString(csi?.volumeHandle);
    const meta = asRecord(pv.props.metadata) ?? {};
    return [{
      urn: pv.urn,
      name: asString(meta.name),
      tenant: view.tenantOf(pv),
      fileSystem: asString(attrs.dnsname),
      // The fileset below the file system's mount name: "" for the whole file system.
      path: mount === undefined ? undefined : mount.split("/").slice(1).join("/"),
      handle,
      claimNamespace: asString(asRecord(spec.claimRef)?.namespace),
      gid: asString(asRecord(meta.annotations)?.[GID]),
    }];
  });
  const claims = view.ofType(PVC).map((c) => ({ urn: c.urn, namespace: asString(asRecord(c.props.metadata)?.namespace), volume: asString(asRecord(c.props.spec)?.volumeName) }));
  const handles = new Map<string, Share[]>();
  for (const s of shares) if (s.handle) handles.set(s.handle, [...(handles.get(s.handle) ?? []), s]);
  for (const t of view.tenants) {
    const own = shares.filter((s) => s.tenant === t);
    if (own.length === 0) findings.push({ kind: "broken", tenant: t, message: `${t}: no Lustre volume of the tenant in the plan — a tenant's own resources live under its Tenant component` });
    for (const s of own) {
      const bad = (message: string) => findings.push({ kind: "broken", tenant: t, urn: s.urn, message });
      if (s.path === undefined || s.handle === undefined || s.fileSystem === undefined) {
        findings.push({ kind: "unproven", tenant: t, urn: s.urn, message: `cannot prove ${t}'s Lustre share: its mount name, handle or file system is not known in the plan — give them as values` });
        continue;
      }
      if (!s.path.split("/").includes(t)) bad(`${t}: the volume ${s.name} mounts ${s.path || "the whole file system"}, not the tenant's own directory — mount <mount>/tenants/${t}`);
      if (s.claimNamespace !== t) bad(`${t}: the volume ${s.name} is bound to ${s.claimNamespace ? `namespace ${s.claimNamespace}` : "no claim"}, so another namespace can claim it — set claimRef to the tenant's namespace`);
      if ((handles.get(s.handle) ?? []).length > 1) bad(`${t}: the volume handle ${s.handle} is shared with ${handles.get(s.handle)!.filter((x) => x !== s).map((x) => x.name).join(", ")} — give each share a handle of its own`);
      const sameGid = shares.filter((x) => x !== s && x.gid !== undefined && x.gid === s.gid && x.tenant && x.tenant !== t);
      if (!s.gid) bad(`${t}: the volume ${s.name} names no group (${GID}), so the directory is not the tenant's alone — annotate the tenant's group id`);
      else if (sameGid.length) bad(`${t}: the group id ${s.gid} of ${s.name} is also ${sameGid.map((x) => x.tenant).join(", ")}'s — give each tenant a group of its own`);
      for (const o of shares.filter((x) => x !== s && x.fileSystem === s.fileSystem && x.path !== undefined)) {
        if (!(under(s.path, o.path!) || under(o.path!, s.path))) continue;
        if (o.tenant && o.tenant !== t) bad(`${t}: ${o.tenant}'s volume ${o.name} mounts ${o.path || "the whole file system"}, which holds or is held by ${t}'s directory — mount each tenant's own directory only`);
        else if (!o.tenant && under(s.path, o.path!)) notes.push(`${o.name} (platform, namespace ${o.claimNamespace ?? "none"}) mounts ${o.path || "the whole file system"}, above ${t}'s directory: POSIX ownership decides`);
      }
      for (const c of claims.filter((c) => c.volume === s.name && c.namespace !== t)) bad(`${t}: a claim in namespace ${c.namespace} names the tenant's volume ${s.name} — remove it`);
    }
  }
  // One note per platform volume, not per tenant.
  const platform = [...new Set(notes.map((n) => n.replace(/, above .*$/, ", above every tenant's directory: POSIX ownership decides")))];
  return { property: "tenant-lustre-isolated", over: `${view.tenants.length} tenants, ${shares.length} Lustre volumes`, findings, notes: platform };
}
