import { carriesNvidia580, EKS_NVIDIA_AMI_DRIVER, firstNvidia580Release, formatAmiRelease, parseAmiRelease } from "../../catalog/ami";
import { instanceType } from "../../catalog/instances";
import { KUBELET_MINORS_BEHIND, KUBERNETES_MINORS, kubernetesMinor, minorNumber } from "../../catalog/kubernetes";
import { MAX_UNAVAILABLE_LIMIT } from "../../catalog/node-updates";
import { error, warning } from "../findings";
import { specPath } from "../paths";
import type { Finding } from "../schema";
import { poolPath, type SpecCheck } from "./context";

// The node images the spec pins and how a change of them rolls out: a release the spec can name, a kubelet the
// control plane accepts, a wave the pool can cut. Waves of whole node groups are judged in the blueprint (rollout.ts).

export function validateNodeImages(check: SpecCheck): Finding[] {
  const findings: Finding[] = [];
  const cluster = check.spec.kubernetes.version;
  if (check.input.kubernetes?.image !== undefined) findings.push(...releaseFindings(check.input.kubernetes.image.release, cluster, ["kubernetes", "image", "release"]));
  for (const [name, pool] of Object.entries(check.input.pools ?? {})) {
    if (pool.image !== undefined) findings.push(...releaseFindings(pool.image.release, cluster, ["pools", name, "image", "release"]));
    // A pool that pins nothing runs the factory's release: judged once, at its own path, above or by the preset.
    const rollout = pool.rollout;
    if (rollout === undefined) continue;
    if (rollout.waveUnits !== undefined && rollout.wavePercent !== undefined) {
      findings.push(error(poolPath(name, "rollout"), "the rollout gives both waveUnits and wavePercent", "keep one: a number of units per wave, or a share of the pool"));
    }
    if (rollout.maxUnavailable !== undefined && rollout.maxUnavailable > MAX_UNAVAILABLE_LIMIT) {
      findings.push(
        error(
          poolPath(name, "rollout", "maxUnavailable"),
          `EKS drains at most ${MAX_UNAVAILABLE_LIMIT} nodes of a node group at a time; ${rollout.maxUnavailable} is past it`,
          `set it to at most ${MAX_UNAVAILABLE_LIMIT}`,
        ),
      );
    }
  }
  findings.push(...driverFindings(check));
  // The preset's release, which the system pool runs where the spec names none, must suit the spec's minor too.
  if (check.input.kubernetes?.image === undefined) {
    findings.push(...releaseFindings(check.spec.kubernetes.image.release, cluster, ["kubernetes", "version"], "the preset's node image"));
  }
  return findings;
}

function releaseFindings(release: string, cluster: string, segments: string[], what = "the node image"): Finding[] {
  const path = specPath(...segments);
  const parsed = parseAmiRelease(release);
  const example = kubernetesMinor(cluster)?.nodeImageRelease ?? KUBERNETES_MINORS[KUBERNETES_MINORS.length - 1].nodeImageRelease;
  if (!parsed) {
    return [
      error(
        path,
        `${JSON.stringify(release)} is no EKS-optimized AMI release`,
        `name one as <Kubernetes minor>-v<release date>, e.g. ${example} (\`gigafactory plan --online\` lists the releases AWS has published)`,
      ),
    ];
  }
  const nodes = minorNumber(parsed.kubernetesVersion);
  const plane = minorNumber(cluster);
  if (Number.isNaN(plane)) return [];
  if (nodes > plane) {
    return [
      error(
        path,
        `${what} ${release} runs a Kubernetes ${parsed.kubernetesVersion} kubelet, newer than the control plane's ${cluster}: a kubelet never runs ahead of its API server`,
        `upgrade kubernetes.version to ${parsed.kubernetesVersion} first (one \`pulumi up\` of the compute layer), then the node images; or pin a ${cluster} release such as ${example}`,
      ),
    ];
  }
  if (plane - nodes > KUBELET_MINORS_BEHIND) {
    return [
      error(
        path,
        `${what} ${release} runs Kubernetes ${parsed.kubernetesVersion}, ${plane - nodes} minors behind the control plane's ${cluster}: kubelets may lag by at most ${KUBELET_MINORS_BEHIND}`,
        `move the node images to a release of ${cluster} (e.g. ${example}) in waves before upgrading further`,
      ),
    ];
  }
  if (nodes < plane) {
    return [
      warning(
        path,
        `${what} ${release} runs Kubernetes ${parsed.kubernetesVersion} under a ${cluster} control plane`,
        `move it to a ${cluster} release (e.g. ${example}) wave by wave: the pool's rollout cuts the waves`,
      ),
    ];
  }
  return [];
}

/**
 * An NVIDIA pool's release must carry the driver the slurmd image's CUDA needs (ami.ts EKS_NVIDIA_AMI_DRIVER): an older
 * one fails every GPU job in the image. One finding per release, at the field that pins it.
 */
function driverFindings(check: SpecCheck): Finding[] {
  const byPath = new Map<string, Finding>();
  for (const [name, pool] of Object.entries(check.spec.pools)) {
    if (instanceType(pool.instanceType)?.accelerator !== "nvidia") continue;
    const own = check.input.pools?.[name]?.image !== undefined;
    const release = own ? pool.image.release : check.spec.kubernetes.image.release;
    const parsed = parseAmiRelease(release);
    if (!parsed || carriesNvidia580(parsed)) continue;
    const segments = own ? ["pools", name, "image", "release"] : check.input.kubernetes?.image !== undefined ? ["kubernetes", "image", "release"] : ["kubernetes", "version"];
    const path = specPath(...segments);
    if (byPath.has(path)) continue;
    const first = formatAmiRelease(firstNvidia580Release(parsed.kubernetesVersion));
    byPath.set(
      path,
      error(
        path,
        `the NVIDIA AMIs of ${release} carry a driver older than the ${EKS_NVIDIA_AMI_DRIVER.branch} branch, and the slurmd image's CUDA ${EKS_NVIDIA_AMI_DRIVER.cuda} needs it: every GPU job of pool ${name} would fail`,
        `pin ${first} or a later release (\`gigafactory plan --online\` lists them)`,
      ),
    );
  }
  return [...byPath.values()];
}
