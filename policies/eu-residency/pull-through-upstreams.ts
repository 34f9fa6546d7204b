import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { UPSTREAM_REGISTRIES } from "../../core/catalog/images";
import { configOf, exemptionsProperty, type Exemption } from "../lib/config";
import { planResourceOfArgs } from "../lib/plan";
import { reportUnlessExempt } from "../lib/report";
import { asString, isOpaque } from "../lib/values";

// A pull-through cache rule makes the factory's registry fetch, at run time and on any node's first pull,
// whatever the upstream serves under its prefix (docs/sources.md#ecr-pull-through-cache [P]). Only the upstreams
// the factory's pinned images come from (core/catalog/images.ts) may be one: any other (Docker Hub, a
// registry of unknown place) is a runtime pull from outside the factory.

interface Config {
  allowedUpstreams: string[];
  exemptions: Exemption[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedUpstreams: {
      type: "array",
      items: { type: "string", minLength: 1 },
      // Only the upstreams the factory pulls through: those it copies instead (Docker Hub, NGC) never need a rule.
      default: Object.values(UPSTREAM_REGISTRIES as Record<string, { host: string; supply: string }>)
        .filter((u) => u.supply === "pull-through")
        .map((u) => u.host),
      description: "Upstream registry hosts a pull-through cache rule may name: by default those the factory's pinned images are pulled through from.",
    },
    exemptions: exemptionsProperty,
  },
};

/** The host of an upstream registry URL (`registry-1.docker.io`, `https://quay.io/` → quay.io). */
export function upstreamHost(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, "").split("/")[0].toLowerCase();
}

export const pullThroughUpstreams: ResourceValidationPolicy = {
  name: "residency-pull-through-upstreams",
  description: "ECR pull-through cache rules name only the upstream registries the factory's pinned images come from.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Remove the rule, or mirror the images the factory needs into its ECR (gigafactory render writes images/mirror.sh) and pin them in core/catalog/images.ts.",
  configSchema,
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:ecr/pullThroughCacheRule:PullThroughCacheRule") args.notApplicable("only pull-through cache rules fetch from an upstream at run time");
    const config = configOf<Config>(args, configSchema);
    const r = planResourceOfArgs(args);
    const raw = r.props.upstreamRegistryUrl;
    const url = asString(raw);
    if (isOpaque(raw) || url === undefined) {
      reportUnlessExempt(reportViolation, config.exemptions, r, { reason: "the rule's upstreamRegistryUrl is not known at plan time, so what it pulls cannot be proven", fix: "name the upstream as a plain value" }, false);
      return;
    }
    const host = upstreamHost(url);
    if (!config.allowedUpstreams.map((h) => h.toLowerCase()).includes(host)) {
      reportUnlessExempt(
        reportViolation,
        config.exemptions,
        r,
        { reason: `the rule pulls from ${host} at run time, outside the factory's pinned upstreams (${config.allowedUpstreams.join(", ")})`, fix: "mirror the images the factory needs into its ECR and pin them, then remove the rule" },
        false,
      );
    }
  },
};
