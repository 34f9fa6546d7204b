import { shellQuote } from "../../lib/shell";
import type { Blueprint } from "../../blueprint/types";
import type { RenderedFile } from "../files";
import { chartRepository, type PinnedChart } from "../../catalog/charts";
import type { MirrorCopy } from "../../catalog/images";

// images/mirror.sh: copies what no pull-through cache can serve into the factory's registry, once per version
// (images.ts): every chart the cluster installs, and the images of registries ECR cannot cache (nvcr.io).
// It runs where AWS credentials for the factory's account are, with aws, helm (>= 3.8, OCI) and crane.

export const IMAGES_DIR = "images";


/** The script over the factory's copies (image-mirror.ts); `charts` says where each copied chart comes from. */
export function renderMirrorScript(blueprint: Pick<Blueprint, "region" | "dnsSuffix">, copies: readonly MirrorCopy[], charts: readonly PinnedChart[]): RenderedFile {
  const dnsSuffix = blueprint.dnsSuffix;
  const lines = [
    "#!/usr/bin/env bash",
    "# Copies the factory's pinned charts, and the images no pull-through cache serves, into its registry.",
    "# Written by `gigafactory render`; run it after a version in core/catalog/charts.ts or images.ts changes.",
    "set -euo pipefail",
    `REGION=${shellQuote(blueprint.region)}`,
    'ACCOUNT="$(aws sts get-caller-identity --query Account --output text)"',
    `REGISTRY="\${ACCOUNT}.dkr.ecr.\${REGION}.${dnsSuffix}"`,
    'aws ecr get-login-password --region "$REGION" | helm registry login --username AWS --password-stdin "$REGISTRY"',
    'aws ecr get-login-password --region "$REGION" | crane auth login --username AWS --password-stdin "$REGISTRY"',
    'WORK="$(mktemp -d)"',
    "trap 'rm -rf \"$WORK\"' EXIT",
  ];
  for (const copy of copies) {
    if (copy.kind === "chart") {
      const chart = charts.find((c) => chartRepository(c) === copy.repository);
      if (chart === undefined) throw new Error(`no pinned chart for the copy into ${copy.repository}`);
      const pull =
        chart.upstream.kind === "oci"
          ? `helm pull ${shellQuote(chart.upstream.reference)} --version ${shellQuote(chart.version)} --destination "$WORK"`
          : `helm pull ${shellQuote(chart.chart)} --repo ${shellQuote(chart.upstream.url)} --version ${shellQuote(chart.version)} --destination "$WORK"`;
      lines.push(`# chart ${chart.chart} ${chart.version}`, pull, `helm push "$WORK/${chart.chart}-${chart.version}.tgz" "oci://$REGISTRY/charts"`);
    } else {
      lines.push(`# image ${copy.source}`, `crane copy ${shellQuote(copy.source)} "$REGISTRY/${copy.repository}:${copy.tag}"`);
    }
  }
  return { path: `${IMAGES_DIR}/mirror.sh`, content: `${lines.join("\n")}\n`, mode: 0o755 };
}
