import { scriptEnv } from "../../../support/script-env";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LUSTRE_EFA_MAX_RAILS, lnetEfaScript, lnetEfaUnit } from "../../../../core/render/aws/lustre-efa";

// The LNet setup a GPU node runs before it mounts an EFA file system, run here against a stand-in for the node: a
// sysfs with the instance type's EFA devices (and a non-EFA one), and modprobe, lnetctl and ip that record their calls.

function node(efaDevices: number, configured = false) {
  const dir = mkdtempSync(join(tmpdir(), "gf-lnet-"));
  const sys = join(dir, "infiniband");
  const bin = join(dir, "bin");
  const calls = join(dir, "calls");
  mkdirSync(bin);
  mkdirSync(join(dir, "drivers", "efa"), { recursive: true });
  mkdirSync(join(dir, "drivers", "mlx5_core"), { recursive: true });
  const add = (name: string, driver: string) => {
    mkdirSync(join(sys, name, "device"), { recursive: true });
    symlinkSync(join(dir, "drivers", driver), join(sys, name, "device", "driver"));
  };
  for (let i = 0; i < efaDevices; i++) add(`rdmap${String(i).padStart(2, "0")}s0`, "efa");
  if (efaDevices > 0) add("mlx5_0", "mlx5_core");
  const tool = (name: string, body = "") => {
    writeFileSync(join(bin, name), `#!/bin/bash\necho "${name} $*" >> ${calls}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool("modprobe");
  tool("lnetctl", configured ? `[ "$1 $2" = "net show" ] && echo "- nid: 10.0.0.5@efa"` : "");
  tool("ip", 'echo "default via 10.0.0.1 dev enp71s0 proto dhcp"');
  const script = lnetEfaScript().replaceAll("/sys/class/infiniband", sys);
  const r = spawnSync("bash", ["-c", script], { env: scriptEnv([bin]), encoding: "utf8" });
  const recorded = existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [];
  return { status: r.status, stderr: r.stderr, calls: recorded };
}

const rails = (calls: string[]) => calls.filter((c) => c.startsWith("lnetctl net add --net efa")).map((c) => c.split(" ")[6]);

describe("LNet over EFA on a GPU node", () => {
  it("on a node with 32 EFA devices (p5), takes every fourth as a rail, and prefers EFA over TCP", () => {
    const r = node(32);
    expect(r.status).toBe(0);
    expect(rails(r.calls)).toEqual(["rdmap00s0", "rdmap04s0", "rdmap08s0", "rdmap12s0", "rdmap16s0", "rdmap20s0", "rdmap24s0", "rdmap28s0"]);
    expect(r.calls).toContain("modprobe kefalnd ipif_name=enp71s0");
    expect(r.calls).toContain("lnetctl net add --net tcp --if enp71s0");
    expect(r.calls.slice(-3)).toEqual(["lnetctl set discovery 1", "lnetctl udsp add --src efa --priority 0", "modprobe lustre"]);
    expect(r.calls.join("\n")).not.toMatch(/mlx5/);
  });

  it("uses every EFA device of a node that has few, and never more rails than the connection limit allows", () => {
    expect(rails(node(4).calls)).toHaveLength(4);
    for (const n of [1, 8, 9, 16, 32]) expect(rails(node(n).calls).length, `${n} devices`).toBeLessThanOrEqual(LUSTRE_EFA_MAX_RAILS);
  });

  it("leaves a node without EFA on TCP, and a node already set up as it is", () => {
    const plain = node(0);
    expect(plain.status).toBe(0);
    expect(plain.stderr).toMatch(/no EFA device; Lustre stays on TCP/);
    expect(plain.calls.filter((c) => c.startsWith("modprobe"))).toEqual([]);
    const again = node(32, true);
    expect(again.status).toBe(0);
    expect(again.calls).toEqual(["lnetctl net show --net efa"]);
  });

  it("runs after the network is online and before remote file systems mount", () => {
    const unit = lnetEfaUnit();
    expect(unit).toMatch(/^After=network-online\.target$/m);
    expect(unit).toMatch(/^Before=remote-fs-pre\.target$/m);
    expect(unit).toMatch(/^RemainAfterExit=yes$/m);
  });
});
