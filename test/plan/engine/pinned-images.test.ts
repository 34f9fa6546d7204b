import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { placeOf } from "../../../plan/engine/identity";
import { INVOKES } from "../../../plan/engine/invokes";
import { gigafactory, FIXTURE_DIR } from "../../support/cli-run";
import { plannedStack } from "../../support/planned-stacks";

// A plan changes no node image unless the spec does: every launch template reads the parameter of the release the
// spec pins, never `.../recommended/image_id`, which AWS moves whenever it publishes an AMI.

const NVIDIA_133 = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia";
const STANDARD_133 = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard";

describe("pinned node images", () => {
  it("leave the gigafactory's snapshot byte-identical when AWS publishes a newer recommended AMI", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gigafactory-newer-ami-"));
    const out = join(dir, "gigafactory.json");
    const asked = join(dir, "asked.txt");
    const run = await gigafactory(["plan", "--stack", "gigafactory", "--json", out], {
      env: { ASKED_FILE: asked },
      nodeArgs: ["--require", join(FIXTURE_DIR, "newer-recommended-ami.js")],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe((await plannedStack("gigafactory")).text);

    // The preload did change the answer a floating template would read...
    expect(INVOKES["aws:ssm/getParameter:getParameter"]({ name: `${NVIDIA_133}/recommended/image_id` }, placeOf("eu-north-1")).value).not.toBe("ami-0f0f0f0f0f0f0f0f0");
    // ...and the program read only the pinned releases' parameters: the GPU pools' and the system pool's.
    const read = new Set(readFileSync(asked, "utf8").split("\n").filter((n) => n.startsWith("/aws/service/eks/")));
    expect(read).toEqual(
      new Set([
        `${NVIDIA_133}/amazon-eks-node-al2023-x86_64-nvidia-1.33-v20251120/image_id`,
        `${STANDARD_133}/amazon-eks-node-al2023-x86_64-standard-1.33-v20251120/image_id`,
      ]),
    );
  }, 600_000);
});
