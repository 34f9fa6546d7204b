import { REGIONLESS_AWS_TYPES } from "../catalog/aws-types.generated";
import { isAllowedRegion } from "../lib/config";
import { isRegionCode, placeOf } from "../lib/places";
import { isProviderType, packageOf, type PlanProvider, type PlanResource } from "../lib/plan";
import { asArray, asRecord, decoded, isOpaque, isUnknown } from "../lib/values";

// Where a resource's data lives, and how that is known. In @pulumi/aws v7 a resource's own `region` input wins,
// then its provider's; a provider without one falls back to the environment when it runs, so "not set" is never
// a proof (docs/sources.md#pulumi-aws-region).

export type Whereabouts =
  | { kind: "regional"; region: string; how: string }
  | { kind: "global"; scope: GlobalScope; service: string }
  | { kind: "cluster"; region: string; how: string }
  | { kind: "local"; how: string }
  | { kind: "no-data"; how: string }
  | { kind: "unproven"; reason: string; fix: string };

/** edge: serves or holds data at AWS's global edge; dns: Route 53, decided by the zone; control-plane: metadata only. */
export type GlobalScope = "edge" | "dns" | "control-plane";

// Global edge networks (docs/sources.md#aws-fault-isolation-boundaries [P]: global services at the edge), and S3 Multi-Region Access
// Points, whose one global endpoint routes to buckets in any region.
const EDGE_MODULES = new Set(["cloudfront", "globalaccelerator"]);
const EDGE_TYPES = new Set(["aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint", "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy"]);
const DNS_TYPES = new Set(["aws:route53/zone:Zone", "aws:route53/record:Record", "aws:route53/recordsExclusive:RecordsExclusive"]);

/** Packages whose resources live only in the program or its state (random values, keys generated locally, timers). */
export const DEFAULT_LOCAL_PACKAGES: readonly string[] = ["random", "tls", "time", "pulumi"];

export function moduleOf(type: string): string {
  return (type.split(":")[1] ?? "").split("/")[0];
}

/** The global scope of an AWS type, or undefined for a regional one. */
export function globalScopeOf(type: string): GlobalScope | undefined {
  if (EDGE_TYPES.has(type) || (type.startsWith("aws:") && EDGE_MODULES.has(moduleOf(type)))) return "edge";
  if (DNS_TYPES.has(type)) return "dns";
  if (REGIONLESS_AWS_TYPES.has(type)) return "control-plane";
  return undefined;
}

function providerLabel(provider: PlanProvider): string {
  return provider.name.startsWith("default") ? `default provider ${provider.name} (stack config aws:region)` : `provider ${provider.name}`;
}

/** Where an AWS resource's data lives, from its own inputs and its provider's. */
export function awsWhereabouts(r: Pick<PlanResource, "type" | "props" | "provider">): Whereabouts {
  const scope = globalScopeOf(r.type);
  if (scope) return { kind: "global", scope, service: moduleOf(r.type) };
  const own = r.props.region;
  if (own !== undefined && own !== null) {
    if (isOpaque(own)) return unreadable("its own region input", own);
    if (typeof own === "string" && isRegionCode(own)) return { kind: "regional", region: own, how: "own region input" };
    return { kind: "unproven", reason: `its region input ${JSON.stringify(own)} is not an AWS region code`, fix: "set `region` to an allowed region code such as eu-north-1" };
  }
  if (!r.provider) {
    return { kind: "unproven", reason: "it names no provider, so the engine's environment decides its region", fix: "give it a provider with an explicit region" };
  }
  return providerRegion(r.provider);
}

/** The region an AWS provider pins, or why it pins none. */
export function providerRegion(provider: PlanProvider): Whereabouts {
  const region = provider.props.region;
  if (region === undefined || region === null || region === "") {
    return {
      kind: "unproven",
      reason: `${providerLabel(provider)} sets no region: it falls back to AWS_REGION or the profile when it runs`,
      fix: provider.name.startsWith("default")
        ? "set `aws:region` in the stack config, or use an explicit provider with `region`"
        : `set \`region\` on provider ${provider.name}`,
    };
  }
  if (isOpaque(region)) return unreadable(`${providerLabel(provider)}'s region`, region);
  if (typeof region !== "string" || !isRegionCode(region)) {
    return { kind: "unproven", reason: `${providerLabel(provider)} has region ${JSON.stringify(region)}, not an AWS region code`, fix: "use a region code such as eu-north-1" };
  }
  return { kind: "regional", region, how: providerLabel(provider) };
}

function unreadable(what: string, value: unknown): Whereabouts {
  return {
    kind: "unproven",
    reason: `${what} ${isUnknown(value) ? "is not known until deployment" : "is a secret the plan cannot read"}`,
    fix: "pass the region as a plain value known at plan time",
  };
}

/** Problems with an AWS provider's settings that send its calls, and so its data, somewhere else. */
export function awsProviderProblems(provider: PlanProvider, config: { allowedRegions?: readonly string[] }): { reason: string; fix: string }[] {
  const problems: { reason: string; fix: string }[] = [];
  const where = providerRegion(provider);
  if (where.kind === "unproven") problems.push(where);
  else if (where.kind === "regional" && !isAllowedRegion(where.region, config)) {
    problems.push({ reason: `provider ${provider.name} is pinned to ${where.region}, outside the allowed regions`, fix: `set its region to one of ${(config.allowedRegions ?? []).join(", ")}` });
  }
  const sts = provider.props.stsRegion;
  if (typeof sts === "string" && !isOpaque(sts) && !isAllowedRegion(sts, config)) {
    problems.push({ reason: `provider ${provider.name} sends STS calls to ${sts}`, fix: "remove `stsRegion` or set it to an allowed region" });
  }
  for (const endpoints of asArray(decoded(provider.props.endpoints))) {
    for (const [service, url] of Object.entries(asRecord(endpoints) ?? {})) {
      if (typeof url !== "string" || url === "") continue;
      const place = isOpaque(url) ? undefined : placeOf(url);
      if (!place || place.region === "") {
        problems.push({ reason: `provider ${provider.name} sends ${service} calls to ${isOpaque(url) ? "an endpoint unknown at plan time" : url}, which is not a regional AWS endpoint`, fix: `remove the ${service} endpoint override, or point it at the service's endpoint in an allowed region` });
      } else if (!isAllowedRegion(place.region, config)) {
        problems.push({ reason: `provider ${provider.name} sends ${service} calls to ${url} in ${place.region}`, fix: `remove the ${service} endpoint override, or point it at an allowed region` });
      }
    }
  }
  return problems;
}

/** Whether a resource is a custom resource of a package that keeps no data anywhere but in the program's state. */
export function isLocalOnly(type: string, localPackages: readonly string[]): boolean {
  return localPackages.includes(packageOf(type)) && !isProviderType(type);
}
