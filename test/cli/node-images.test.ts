import { describe, expect, it } from "vitest";
import { newerReleaseLines, pinnedImageLines, type SsmParameterLister } from "../../cli/commands/node-images";
import { InputError } from "../../cli/exit";
import { plannedSnapshot } from "../support/planned-stacks";

// What `gigafactory plan` says of node images: offline, the release each pool pins; with --online, the releases AWS
// published since, read from SSM (here a stub in place of the AWS CLI, answering as GetParametersByPath does).

const NVIDIA = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia";
const STANDARD = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard";
const published = (folder: string, variant: string, tags: string[]) =>
  tags.flatMap((t) => [`${folder}/amazon-eks-node-al2023-x86_64-${variant}-1.33-${t}/image_id`, `${folder}/amazon-eks-node-al2023-x86_64-${variant}-1.33-${t}/release_version`]);

describe("plan's node image lines", () => {
  it("offline name each pool's pinned release and the system pool's", async () => {
    const lines = pinnedImageLines(await plannedSnapshot("gigafactory"));
    expect(lines).toEqual(expect.arrayContaining(["  h200-a       1.33-v20251120", "  h100-c       1.33-v20251120", "  system       1.33-v20251120"]));
  });

  it("online list the releases published after the pinned one, per variant, asking each folder once", async () => {
    const asked: string[] = [];
    const ssm: SsmParameterLister = {
      async parameterNames(path, region) {
        asked.push(`${region} ${path}`);
        if (path === NVIDIA) return [`${NVIDIA}/recommended/image_id`, ...published(NVIDIA, "nvidia", ["v20250915", "v20251120", "v20251203", "v20251209"])];
        if (path === STANDARD) return published(STANDARD, "standard", ["v20251120"]);
        return [];
      },
    };
    const lines = await newerReleaseLines(await plannedSnapshot("gigafactory"), ssm);
    expect(asked.sort()).toEqual([`eu-north-1 ${NVIDIA}`, `eu-north-1 ${STANDARD}`]);
    expect(lines).toContain("  h200-a       1.33-v20251120: newer: 1.33-v20251203, 1.33-v20251209 — set the pool's image.release and roll it out in waves");
    expect(lines).toContain("  system       1.33-v20251120: the newest published");
  });

  it("online without the AWS CLI is bad input that says what to do, never a stack trace", async () => {
    const missing: SsmParameterLister = {
      parameterNames: () => Promise.reject(Object.assign(new Error("spawn aws ENOENT"), { code: "ENOENT" })),
    };
    const failure = await newerReleaseLines(await plannedSnapshot("gigafactory"), missing).catch((e) => e);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).lines[0]).toMatch(/^error --online: .* \(the AWS CLI is not installed\) — install the AWS CLI and sign in/);
  });
});
