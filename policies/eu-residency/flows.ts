import { isAllowedRegion } from "../lib/config";
import { looksLikeEndpoint, placeOf, type Place } from "../lib/places";
import { isProviderType, type PlanIndex, type PlanResource } from "../lib/plan";
import { isOpaque, isUnknown, leaves, type Leaf } from "../lib/values";
import { awsWhereabouts, globalScopeOf, type Whereabouts } from "./whereabouts";

// Data leaving a resource, found by shape rather than by a list of resource types, so that a resource type
// nobody listed is still read: every input anywhere that names a place (a region or zone code, an ARN, an AWS
// endpoint host, a VPC endpoint service name, an s3:// URL) and every input whose name says it is a destination
// (replica, copy, target, endpoint, URL, bucket...) must land in an allowed region, proven from the value itself
// or from the plan (a bucket the plan creates, the plan resource an unknown value comes from).

export type Verdict = "allowed" | "outside" | "unproven";

export interface Flow {
  urn: string;
  type: string;
  name: string;
  /** The input path, e.g. `rules.0.destination.bucket`. */
  path: string;
  value: string;
  /** Where it lands, in words: a region, a bucket, an endpoint. */
  lands: string;
  region?: string;
  /** How the landing place is known. */
  proof: string;
  verdict: Verdict;
  reason?: string;
  fix?: string;
  /** Data leaves the resource (a destination, a copy, or another region), as opposed to an in-region reference. */
  outward: boolean;
}

// An input path segment naming where data goes. Matched on every segment of the path, so `destination.bucket`
// and `crossRegionCopyRules.0.target` are both destinations.
const DESTINATION_SEGMENT =
  /destination|target|endpoint|sink|webhook|collector|forward|export|remote_?write|replica|replicat|copy|copies|peer|mirror|archive|delivery|backup|logging|(?:^|[a-z_])(?:url|uri)s?$|^(?:url|uri)/i;
// Paths that name where data comes from (a pull-through cache's upstream registry), not where it goes.
const INBOUND_SEGMENT = /upstream|source|origin/i;
const BUCKET_KEY = /(?:^|[a-z0-9_])bucket(?:name|id|arn)?s?$/i;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// Where a pod is placed: a toleration's or a node label's key reads like a host (`gigafactory.io/system`) under a
// webhook's values, yet sends nothing anywhere. Labels and annotations stay read: a controller may take a URL there.
const POD_PLACEMENT_SEGMENT = /^(?:tolerations|nodeSelector|affinity|topologySpreadConstraints)$/;
// Inputs read by another policy or carrying no data flow.
const SKIPPED_TOP_LEVEL = new Set(["tags", "tagsAll"]);
const IMAGE_KEY = /^(?:image|imageUri|imageUrl|containerImage|repository|registry)$/i;
const CONTROL_PLANE_ARN_SERVICES = new Set(["iam", "sts", "organizations", "account", "route53", "route53domains", "budgets", "ce", "cur", "support", "health"]);
// Names that resolve only inside the factory: the cluster's DNS, VPC-internal names, private addresses.
const INSIDE_FACTORY_HOST = /(^|\.)(cluster\.local|svc|internal|localhost)$|^localhost$|^(10\.|127\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

function segmentsOf(path: string): string[] {
  return path.split(".").filter((s) => !/^\d+$/.test(s));
}

function hostOf(value: string): string {
  const withoutScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^@/]*@/, "");
  return withoutScheme.split(/[/:?#]/)[0].toLowerCase();
}

function describe(value: string): string {
  if (isUnknown(value)) return "(unknown until deployment)";
  return value;
}

interface Context {
  r: PlanResource;
  index: PlanIndex;
  allowed: { allowedRegions?: readonly string[] };
  ownRegion?: string;
}

function flow(ctx: Context, leaf: Leaf, fields: Omit<Flow, "urn" | "type" | "name" | "path" | "value">): Flow {
  return { urn: ctx.r.urn, type: ctx.r.type, name: ctx.r.name, path: leaf.path, value: describe(leaf.value), ...fields };
}

function regionVerdict(ctx: Context, leaf: Leaf, region: string, proof: string, outward: boolean): Flow {
  const ok = isAllowedRegion(region, ctx.allowed);
  return flow(ctx, leaf, {
    lands: region,
    region,
    proof,
    verdict: ok ? "allowed" : "outside",
    outward: outward || (ctx.ownRegion !== undefined && region !== ctx.ownRegion),
    ...(ok ? {} : { reason: `\`${leaf.path}\` = ${leaf.value} points to ${region}, outside the allowed regions`, fix: `keep it in one of ${(ctx.allowed.allowedRegions ?? []).join(", ")}` }),
  });
}

function placedWhere(w: Whereabouts): string | undefined {
  return w.kind === "regional" || w.kind === "cluster" ? w.region : undefined;
}

function bucketFlow(ctx: Context, leaf: Leaf, bucket: string): Flow {
  const planned = ctx.index.bucketNamed(bucket, ctx.r);
  if (!planned) {
    return flow(ctx, leaf, {
      lands: `bucket ${bucket}`,
      proof: "none: the bucket is not created by this plan and an S3 name or ARN carries no region",
      verdict: "unproven",
      outward: true,
      reason: `\`${leaf.path}\` sends data to bucket ${bucket}, which this plan does not create, so its region cannot be proven`,
      fix: "create the bucket in this plan in an allowed region (and refer to it), or exempt the resource with a justification",
    });
  }
  const region = placedWhere(awsWhereabouts(planned));
  if (!region) {
    return flow(ctx, leaf, {
      lands: `bucket ${bucket} (plan: ${planned.name})`,
      proof: `plan bucket ${planned.name}, whose region is not proven`,
      verdict: "unproven",
      outward: true,
      reason: `\`${leaf.path}\` sends data to plan bucket ${planned.name}, whose own region is not proven`,
      fix: "pin the bucket's provider to an allowed region",
    });
  }
  const f = regionVerdict(ctx, leaf, region, `plan bucket ${planned.name}`, true);
  return { ...f, lands: `bucket ${bucket} in ${region}` };
}

function opaqueFlow(ctx: Context, leaf: Leaf): Flow {
  const top = leaf.path.split(".")[0];
  const sources = ctx.index.sourcesOf(ctx.r, top).filter((s) => s.type.startsWith("aws:") && !globalScopeOf(s.type));
  const regions = sources.map((s) => placedWhere(awsWhereabouts(s)));
  const what = isUnknown(leaf.value) ? "is not known until deployment" : "is a secret the plan cannot read";
  if (sources.length === 0 || regions.some((r) => r === undefined)) {
    return flow(ctx, leaf, {
      lands: "unknown",
      proof: "none",
      verdict: "unproven",
      outward: true,
      reason: `\`${leaf.path}\` ${what} and comes from no resource of this plan with a proven region`,
      fix: "refer to a destination this plan creates in an allowed region, or pass it as a plain value",
    });
  }
  const outside = sources.filter((_, i) => !isAllowedRegion(regions[i]!, ctx.allowed));
  const names = sources.map((s) => s.name).join(", ");
  return flow(ctx, leaf, {
    lands: [...new Set(regions)].join(", "),
    region: regions.length === 1 ? regions[0] : undefined,
    proof: `plan resources it comes from: ${names}`,
    verdict: outside.length === 0 ? "allowed" : "outside",
    outward: true,
    ...(outside.length === 0 ? {} : { reason: `\`${leaf.path}\` comes from ${outside.map((s) => s.name).join(", ")}, outside the allowed regions`, fix: "keep the destination in an allowed region" }),
  });
}

function placeFlow(ctx: Context, leaf: Leaf, place: Place, destination: boolean): Flow | undefined {
  if (place.bucket) return bucketFlow(ctx, leaf, place.bucket);
  if (place.region) {
    const proof = place.kind === "arn" ? "ARN" : place.kind === "host" ? "endpoint host" : place.kind === "service-name" ? "endpoint service name" : "region code";
    return regionVerdict(ctx, leaf, place.region, proof, destination);
  }
  if (place.kind === "arn" && place.arn) {
    if (CONTROL_PLANE_ARN_SERVICES.has(place.arn.service)) return undefined;
    if (place.arn.service === "cloudfront" || place.arn.service === "globalaccelerator") {
      return flow(ctx, leaf, {
        lands: `global edge (${place.arn.service})`,
        proof: "ARN",
        verdict: "outside",
        outward: true,
        reason: `\`${leaf.path}\` refers to ${place.arn.service}, a global edge service outside every region`,
        fix: "serve the data from the region, or exempt the resource with a justification",
      });
    }
  }
  if (place.kind === "host") {
    const s3Host = /^([a-z0-9.-]+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\./.exec(place.host ?? "");
    if (s3Host) return bucketFlow(ctx, leaf, s3Host[1]);
  }
  if (!destination) return undefined;
  return flow(ctx, leaf, {
    lands: leaf.value,
    proof: "none: names no region",
    verdict: "unproven",
    outward: true,
    reason: `\`${leaf.path}\` = ${leaf.value} is a global or region-less endpoint, so where the data lands cannot be proven`,
    fix: "use the service's regional endpoint or ARN in an allowed region",
  });
}

/** Every data flow out of one resource, with the verdict on where it lands. */
export function flowsOf(r: PlanResource, index: PlanIndex, allowed: { allowedRegions?: readonly string[] }, ownRegion?: string): Flow[] {
  if (isProviderType(r.type)) return [];
  const ctx: Context = { r, index, allowed, ownRegion };
  const out: Flow[] = [];
  const subjectBucket = r.type.startsWith("aws:s3/") || r.type.startsWith("aws:s3control/");
  const helm = r.type.startsWith("kubernetes:helm.sh/");
  for (const leaf of leaves(r.props)) {
    const segments = segmentsOf(leaf.path);
    if (segments.length === 0 || SKIPPED_TOP_LEVEL.has(segments[0])) continue;
    if (segments.length === 1 && segments[0] === "region") continue;
    if (IMAGE_KEY.test(leaf.key) || (helm && (segments[0] === "chart" || segments[0] === "repositoryOpts"))) continue;
    if (subjectBucket && leaf.path === "bucket") continue;
    // A policy's principal names who acts (`logging.s3.amazonaws.com`), never where data goes.
    if (segments.includes("Principal")) continue;
    if (segments.some((seg) => POD_PLACEMENT_SEGMENT.test(seg))) continue;
    const destination = segments.some((s) => DESTINATION_SEGMENT.test(s));
    const bucketKey = BUCKET_KEY.test(leaf.key);
    if (isOpaque(leaf.value)) {
      if (destination || bucketKey) out.push(opaqueFlow(ctx, leaf));
      continue;
    }
    const place = placeOf(leaf.value);
    if (place) {
      const f = placeFlow(ctx, leaf, place, destination || bucketKey);
      if (f) out.push(f);
    } else if (bucketKey && BUCKET_NAME.test(leaf.value)) {
      out.push(bucketFlow(ctx, leaf, leaf.value));
    } else if (destination && looksLikeEndpoint(leaf.value) && !segments.some((s) => INBOUND_SEGMENT.test(s))) {
      const host = hostOf(leaf.value);
      const inside = INSIDE_FACTORY_HOST.test(host);
      out.push(
        flow(ctx, leaf, {
          lands: leaf.value,
          proof: inside ? "an address that resolves only inside the factory" : "none: not an AWS endpoint",
          verdict: inside ? "allowed" : "unproven",
          outward: true,
          ...(inside ? {} : { reason: `\`${leaf.path}\` sends data to ${leaf.value}, an endpoint outside AWS whose location cannot be proven`, fix: "send it to a service in an allowed region of this plan, or exempt the resource with a justification" }),
        }),
      );
    }
  }
  return out;
}
