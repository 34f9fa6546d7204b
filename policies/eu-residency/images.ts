import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { allowedRegionsProperty, configOf, exemptionsProperty, isAllowedRegion, type Exemption } from "../lib/config";
import { placeOf } from "../lib/places";
import { PlanIndex, planResourcesOf, type PlanResource } from "../lib/plan";
import { reportUnlessExempt, type Problem } from "../lib/report";
import { asBoolean, asRecord, at, isOpaque, leaves, plain } from "../lib/values";
import { DEFAULT_CHART_IMAGE_VALUES, type ChartImageValue } from "./chart-images";
import { ownRegionOf } from "./data-egress";

// Container images and Helm charts come from the factory's registry in its region (ECR, with a pull-through
// cache for upstream registries), never straight from a registry outside it (docs/sources.md#eks-charts-efa: the EFA device plugin's
// default image lives in us-west-2). Chart defaults are invisible in the plan, so a release must override every
// image setting its chart has, as listed in chart-images.ts or the `chartImageValues` config.

interface Config {
  allowedRegions: string[];
  exemptions: Exemption[];
  allowedRegistries: string[];
  sameRegion: boolean;
  chartImageValues: Record<string, ChartImageValue[]>;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedRegions: allowedRegionsProperty,
    exemptions: exemptionsProperty,
    allowedRegistries: {
      type: "array",
      items: { type: "string", minLength: 1 },
      default: [],
      description: "Registry hosts besides ECR in an allowed region that are proven to be in the EU (e.g. the factory's own registry).",
    },
    sameRegion: { type: "boolean", default: true, description: "Images must come from ECR in the consumer's own region." },
    chartImageValues: {
      type: "object",
      default: DEFAULT_CHART_IMAGE_VALUES,
      description: "Per chart name, the values paths that select its images (with the switch that enables each).",
    },
  },
};

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?|amazonaws\.eu)$/;
const HELM_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]);
const IMAGE_LEAF = /^(?:image|imageUri|containerImage)$/i;
// CodeBuild's curated images (`aws/codebuild/...`) are served by CodeBuild in the project's own region, with
// CodeBuild's credentials, not pulled from Docker Hub (docs/sources.md#codebuild-images [P]).
const CODEBUILD_PROJECT = "aws:codebuild/project:Project";
const CODEBUILD_CURATED_IMAGE = /^aws\/codebuild\/[a-z0-9._-]+:[A-Za-z0-9._-]+$/;

/** A CodeBuild project's curated image, pulled by CodeBuild in its region. */
export function isCodeBuildCuratedImage(r: PlanResource, path: string, ref: string): boolean {
  const credentials = at(r.props, "environment.imagePullCredentialsType");
  return r.type === CODEBUILD_PROJECT && path === "environment.image" && CODEBUILD_CURATED_IMAGE.test(ref) && (credentials === undefined || credentials === "CODEBUILD");
}

/** The registry host of an image reference (Docker Hub when the first part is not a host). */
export function registryOf(ref: string): string {
  const first = ref.replace(/^oci:\/\//, "").split("/")[0];
  const isHost = ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? first.toLowerCase() : "docker.io";
}

export function registryProblem(ref: string, consumerRegion: string | undefined, config: Pick<Config, "allowedRegions" | "allowedRegistries" | "sameRegion">, what: string): Problem | undefined {
  if (isOpaque(ref)) return { reason: `${what} is not readable at plan time, so its registry cannot be proven`, fix: "name the image in the factory's in-region ECR as a plain value" };
  const host = registryOf(ref);
  if (config.allowedRegistries.includes(host)) return undefined;
  const ecr = ECR_HOST.exec(host);
  if (!ecr) {
    return { reason: `${what} ${ref} is pulled from ${host}, outside the factory's in-region registry`, fix: "pull it through the factory's ECR pull-through cache in its region (or mirror it there) and use that address" };
  }
  const region = ecr[2];
  if (!isAllowedRegion(region, config)) return { reason: `${what} ${ref} is pulled from ECR in ${region}, outside the allowed regions`, fix: "mirror it to the factory's ECR in its region" };
  if (config.sameRegion && consumerRegion && region !== consumerRegion) {
    return { reason: `${what} ${ref} is pulled from ECR in ${region}, not the factory's region ${consumerRegion}`, fix: `mirror it to ECR in ${consumerRegion}` };
  }
  return undefined;
}

/** An image setting as a reference: a string, or {registry, repository, image} (gpu-operator's shape) joined. */
export function imageRefOf(setting: unknown): string | undefined {
  const v = plain(setting);
  if (typeof v === "string") return v;
  const o = asRecord(v);
  if (!o || typeof o.repository !== "string") return undefined;
  return [o.registry, o.repository, typeof o.image === "string" ? o.image : undefined].filter((x): x is string => typeof x === "string" && x !== "").join("/");
}

/** Every image a values tree names: `image` strings and objects shaped like image settings. */
export function imagesInValues(values: unknown, path = "", out: { path: string; ref: string }[] = []): { path: string; ref: string }[] {
  const v = plain(values);
  if (Array.isArray(v)) v.forEach((item, i) => imagesInValues(item, path ? `${path}.${i}` : String(i), out));
  const o = asRecord(v);
  if (!o) return out;
  const looksLikeSetting = typeof o.repository === "string" && ["tag", "version", "digest", "image", "registry", "pullPolicy"].some((k) => k in o);
  if (looksLikeSetting) {
    out.push({ path, ref: imageRefOf(o)! });
    return out;
  }
  for (const [k, item] of Object.entries(o)) {
    const p = path ? `${path}.${k}` : k;
    if (k === "image" && typeof item === "string") out.push({ path: p, ref: item });
    else imagesInValues(item, p, out);
  }
  return out;
}

/** The chart a release installs, by name (`oci://host/charts/gpu-operator` and `nvidia/gpu-operator` → gpu-operator). */
export function chartNameOf(chart: string): string {
  return chart.replace(/\/+$/, "").split("/").pop()!.split(":")[0].split("@")[0];
}

function chartSourceProblem(r: PlanResource, config: Config, consumerRegion: string | undefined): Problem | undefined {
  const chart = r.props.chart;
  if (typeof chart !== "string" || isOpaque(chart)) return { reason: "the chart is not readable at plan time", fix: "name the chart as a plain value" };
  if (chart.startsWith("oci://")) return registryProblem(chart, consumerRegion, config, "chart");
  const repo = at(r.props, "repositoryOpts.repo");
  if (typeof repo === "string" && repo !== "") {
    if (isOpaque(repo)) return { reason: "the chart repository is not readable at plan time", fix: "name the repository as a plain value" };
    const host = repo.replace(/^[a-z]+:\/\//, "").split("/")[0].toLowerCase();
    const place = placeOf(repo);
    if (config.allowedRegistries.includes(host) || (place && place.region && isAllowedRegion(place.region, config))) return undefined;
    return { reason: `chart ${chart} is pulled from ${repo}, outside the factory's in-region registry`, fix: "push the chart to the factory's ECR as an OCI artifact and install it from oci://<account>.dkr.ecr.<region>.amazonaws.com/..." };
  }
  if (/^(\.{1,2}\/|\/)/.test(chart)) return undefined;
  return { reason: `chart ${chart} is resolved through the local Helm repository configuration, which may point anywhere`, fix: "install it from the factory's ECR (oci://...) or from a path in the repository" };
}

function chartDefaultProblems(r: PlanResource, config: Config, consumerRegion: string | undefined): Problem[] {
  const chart = r.props.chart;
  if (typeof chart !== "string" || isOpaque(chart) || /^(\.{1,2}\/|\/)/.test(chart)) return [];
  const name = chartNameOf(chart);
  const table = config.chartImageValues[name];
  if (!table) {
    return [{ reason: `chart ${name}'s default images cannot be seen in the plan`, fix: `list its image settings under the chartImageValues config (policies/eu-residency/chart-images.ts) and override each, or exempt the release with a justification` }];
  }
  const values = r.props.values;
  const problems: Problem[] = [];
  for (const entry of table) {
    if (entry.enabledBy) {
      const on = asBoolean(at(values, entry.enabledBy)) ?? entry.enabledByDefault ?? true;
      if (!on) continue;
    }
    const ref = imageRefOf(at(values, entry.path));
    if (ref === undefined || ref === "") {
      problems.push({ reason: `chart ${name} pulls its default image for \`${entry.path}\` from outside the factory`, fix: `set values.${entry.path} to the image in the factory's in-region ECR` });
      continue;
    }
    const p = registryProblem(ref, consumerRegion, config, `image \`${entry.path}\``);
    if (p) problems.push(p);
  }
  return problems;
}

/** Every image and chart problem of one resource. */
export function imageProblems(r: PlanResource, index: PlanIndex, config: Config): Problem[] {
  const consumerRegion = ownRegionOf(r, index);
  const problems: Problem[] = [];
  if (HELM_TYPES.has(r.type)) {
    const source = chartSourceProblem(r, config, consumerRegion);
    if (source) problems.push(source);
    problems.push(...chartDefaultProblems(r, config, consumerRegion));
    for (const image of imagesInValues(r.props.values)) {
      const p = registryProblem(image.ref, consumerRegion, config, `image \`values.${image.path}\``);
      if (p) problems.push(p);
    }
    return dedupe(problems);
  }
  if (!r.type.startsWith("kubernetes:") && !r.type.startsWith("aws:")) return [];
  for (const leaf of leaves(r.props)) {
    if (!IMAGE_LEAF.test(leaf.key) || isCodeBuildCuratedImage(r, leaf.path, leaf.value)) continue;
    const p = registryProblem(leaf.value, consumerRegion, config, `image \`${leaf.path}\``);
    if (p) problems.push(p);
  }
  return dedupe(problems);
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.reason) && seen.add(p.reason) !== undefined);
}

export const imagesAndCharts: StackValidationPolicy = {
  name: "residency-images-and-charts",
  description: "Container images and Helm charts come from the factory's registry in its region, chart defaults included.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Create an ECR pull-through cache (or mirror) in the factory's region, install charts from it as OCI artifacts, and override every image setting of each chart to point at it.",
  configSchema,
  validateStack: (args, reportViolation) => {
    const config = configOf<Config>(args, configSchema);
    const index = new PlanIndex(planResourcesOf(args.resources));
    for (const r of index.resources) {
      if (!r.provider) continue;
      for (const p of imageProblems(r, index, config)) reportUnlessExempt(reportViolation, config.exemptions, r, p, true);
    }
  },
};
