import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { formatAmiRelease, releaseOfParameter } from "../../core/catalog/ami";
import { oneLine } from "../../core/spec/format";
import type { PlanSnapshot } from "../../plan/snapshot";
import { InputError } from "../exit";
import { nodeImagesSection, pinnedPools, poolLinesSection } from "../report/node-images";
import { sectionLines } from "../report/text";

// What `gigafactory plan` says of the node images: offline, the release each pool pins and any rollout under way;
// with --online, the releases AWS has published since, read from the public SSM parameters (docs/sources.md#eks-ami).

/** Lists the SSM parameter names under a path, recursively. */
export interface SsmParameterLister {
  parameterNames(path: string, region: string): Promise<string[]>;
}

/** The AWS CLI's `ssm get-parameters-by-path`, which pages through the results and takes the caller's credentials. */
export const awsCliSsm: SsmParameterLister = {
  async parameterNames(path, region) {
    const run = promisify(execFile);
    const { stdout } = await run(
      "aws",
      ["ssm", "get-parameters-by-path", "--path", path, "--recursive", "--region", region, "--query", "Parameters[].Name", "--output", "json"],
      { maxBuffer: 64 << 20 },
    );
    const names: unknown = JSON.parse(stdout || "[]");
    return Array.isArray(names) ? names.map(String) : [];
  },
};

/** The offline lines: the plan report's node image section, as the terminal shows it. */
export function pinnedImageLines(snapshot: PlanSnapshot): string[] {
  return [...sectionLines(nodeImagesSection(snapshot)), ""];
}

async function listed(ssm: SsmParameterLister, folder: string, region: string): Promise<string[]> {
  try {
    return await ssm.parameterNames(folder, region);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "the AWS CLI is not installed" : oneLine(String((e as { stderr?: unknown }).stderr || (e as Error).message)).slice(0, 200);
    throw new InputError([`error --online: the SSM parameters under ${folder} in ${region} could not be listed (${why}) — install the AWS CLI and sign in to an account, or plan without --online`]);
  }
}

/** The releases published after each pool's pinned one, for its Kubernetes minor and its variant. */
export async function newerReleaseLines(snapshot: PlanSnapshot, ssm: SsmParameterLister): Promise<string[]> {
  const region = String((snapshot.blueprint as { region?: unknown }).region ?? "");
  const pools = pinnedPools(snapshot);
  const folders = new Map<string, string[]>();
  for (const p of pools) {
    // `<folder>/<ami name>/image_id`: the folder holds every release of the variant.
    const folder = p.amiParameter.split("/").slice(0, -2).join("/");
    if (folder && !folders.has(folder)) folders.set(folder, await listed(ssm, folder, region));
  }
  const lines: { pool: string; text: string }[] = [];
  for (const p of pools) {
    const pinned = releaseOfParameter(p.amiParameter);
    if (!pinned) continue;
    const names = folders.get(p.amiParameter.split("/").slice(0, -2).join("/")) ?? [];
    const newer = [...new Set(names.map(releaseOfParameter).filter((r) => r !== undefined && r.tag > pinned.tag).map((r) => formatAmiRelease(r!)))].sort();
    lines.push({ pool: p.pool, text: `${p.release}: ${newer.length === 0 ? "the newest published" : `newer: ${newer.join(", ")} — set the pool's image.release and roll it out in waves`}` });
  }
  return [...sectionLines(poolLinesSection(`Newer node image releases in ${region} (from SSM)`, lines)), ""];
}
