import { LAYERS, type LayerName } from "../../../core/blueprint/layers";
import { LABEL_TENANT } from "../../../core/blueprint/labels";
import { region as regionOf } from "../../../core/catalog/regions";
import { TAG_FACTORY } from "../../../core/spec/tags";
import { PlanIndex, providerDefaultTags, type PlanResource } from "../plan";
import { asRecord, asString } from "../values";
import type { Finding } from "./types";

// The plan as the proofs read it: its resources by type, its tenants (one per `Tenant` component, named by the
// namespace it holds) and which tenant each resource belongs to, the factory's account, region and cluster, and
// which layers the view holds. `gigafactory check` sees every layer; a layer's `pulumi preview` sees its own, and a
// claim resting on a resource of another layer is then `unseen` (reported, not failed) rather than broken.

export const TENANT_COMPONENT = "gigafactory:tenancy:Tenant";

export interface PlanView {
  resources: readonly PlanResource[];
  ofType(type: string): readonly PlanResource[];
  byUrn(urn: string): PlanResource | undefined;
  tenants: string[];
  tenantOf(r: PlanResource): string | undefined;
  /** Every layer is in view (or the project has no layers): a missing resource is then a broken claim. */
  complete: boolean;
  layersSeen: LayerName[];
  factory?: string;
  clusterName?: string;
  account?: string;
  partition: string;
  region?: string;
  dnsSuffix: string;
}

const NAMESPACE = "kubernetes:core/v1:Namespace";
const ACCOUNT_OF_ARN = /^arn:[^:]+:(?:iam|kms|s3|eks):[^:]*:(\d{12}):/;

/** The layer a URN's project names (`<project>-<layer>`), if any. */
export function layerOfUrn(urn: string): LayerName | undefined {
  const project = urn.split("::")[1] ?? "";
  return LAYERS.find((l) => project.endsWith(`-${l}`));
}

export function planView(resources: readonly PlanResource[]): PlanView {
  const index = new PlanIndex(resources);
  const ofType = (t: string) => index.ofType(t);

  // A tenant is a Tenant component; its name is that of the namespace it holds with its own tenant label.
  const tenantOfComponent = new Map<string, string>();
  for (const ns of ofType(NAMESPACE)) {
    const meta = asRecord(ns.props.metadata);
    const name = asString(meta?.name);
    const label = asString(asRecord(meta?.labels)?.[LABEL_TENANT]);
    const owner = ns.parent ? index.get(ns.parent) : undefined;
    if (name && label === name && owner?.type === TENANT_COMPONENT) tenantOfComponent.set(owner.urn, name);
  }
  const tenantCache = new Map<string, string | undefined>();
  const tenantOf = (r: PlanResource): string | undefined => {
    if (tenantCache.has(r.urn)) return tenantCache.get(r.urn);
    let found: string | undefined;
    for (let at: PlanResource | undefined = r, depth = 0; at && depth < 32; at = at.parent ? index.get(at.parent) : undefined, depth++) {
      found = tenantOfComponent.get(at.urn);
      if (found) break;
    }
    tenantCache.set(r.urn, found);
    return found;
  };

  const layers = new Set(resources.map((r) => layerOfUrn(r.urn)).filter((l): l is LayerName => l !== undefined));
  const complete = layers.size === 0 || LAYERS.every((l) => layers.has(l));
  const provider = ofType("pulumi:providers:aws")[0];
  const factory = asString(providerDefaultTags(provider)[TAG_FACTORY]);
  const region = asString(provider?.props.region);
  const arns = [
    ...ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((r) => asString(r.props.roleArn)),
    ...ofType("aws:eks/accessEntry:AccessEntry").map((r) => asString(r.props.principalArn)),
    ...ofType("aws:eks/cluster:Cluster").map((r) => asString(r.props.roleArn)),
  ];
  const account = arns.map((a) => (a ? ACCOUNT_OF_ARN.exec(a)?.[1] : undefined)).find(Boolean);
  const partition = arns.map((a) => /^arn:([^:]+):/.exec(a ?? "")?.[1]).find(Boolean) ?? "aws";
  const clusterName =
    ofType("aws:eks/cluster:Cluster").map((c) => asString(c.props.name))[0] ??
    ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((r) => asString(r.props.clusterName)).find(Boolean);
  return {
    resources,
    ofType,
    byUrn: (u) => index.get(u),
    tenants: [...new Set(tenantOfComponent.values())].sort(),
    tenantOf,
    complete,
    layersSeen: LAYERS.filter((l) => layers.has(l)),
    factory,
    clusterName,
    account,
    partition,
    region,
    dnsSuffix: (region ? regionOf(region)?.dnsSuffix : undefined) ?? "amazonaws.com",
  };
}

/** A resource the claim needs is absent: broken over the whole plan, `unseen` from one layer's preview. */
export function missing(view: PlanView, message: string, extra: Omit<Finding, "kind" | "message"> = {}): Finding {
  return view.complete
    ? { kind: "broken", message, ...extra }
    : { kind: "unseen", message: `${message} — not in this layer's view (layers seen: ${view.layersSeen.join(", ") || "none"}); \`gigafactory check\` proves it over every layer`, ...extra };
}
