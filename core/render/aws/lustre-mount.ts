import { shellQuote } from "../../lib/shell";
import { installLnetEfa, LNET_EFA_UNIT } from "./lustre-efa";
// How a GPU node mounts the factory's Lustre file system at boot (FSx for Lustre user guide, "Installing the
// Lustre client" for Amazon Linux 2023: the `lustre-client` package; "Mounting Amazon FSx automatically": the
// fstab entry with `_netdev` and a systemd automount, so boot never waits on the network [P]).

/** Where every GPU node sees the file system: the same path for Slurm jobs and for pods that mount it by host path. */
export const LUSTRE_MOUNT_POINT = "/fsx";

/** Where each tenant's share lives on the file system (its PersistentVolume mounts only this fileset). */
export const TENANT_SHARES_PATH = "/tenants";

export interface LustreMount {
  /** The file system's DNS name (`fs-….fsx.<region>.amazonaws.com`). */
  dnsName: string;
  /** The mount name FSx gives the file system (eight characters). */
  mountName: string;
  mountPoint: string;
  /** The file system was created with EFA: nodes set LNet up over their EFA interfaces before mounting (lustre-efa.ts). */
  efa?: boolean;
}

/** `dns@tcp:/mountname[/fileset]`: Lustre's source of a mount, the whole file system or one fileset below it
 * (FSx for Lustre user guide, "Mounting specific filesets" [P]). */
export function lustreSource(m: Pick<LustreMount, "dnsName" | "mountName">, fileset = ""): string {
  return `${m.dnsName}@tcp:/${m.mountName}${fileset}`;
}

/**
 * The fstab line: relatime and flock as FSx recommends; `_netdev` and automount so a slow network never blocks boot;
 * after the network is up (AL2023 brings it up with systemd-networkd, which has no network.service: systemd
 * "network-online.target" [P]) and, on an EFA file system, after LNet is set up over EFA.
 */
export function lustreFstabLine(m: LustreMount): string {
  const after = ["network-online.target", ...(m.efa ? [LNET_EFA_UNIT] : [])];
  const units = after.flatMap((u) => [`x-systemd.requires=${u}`, `x-systemd.after=${u}`]).join(",");
  return `${lustreSource(m)} ${m.mountPoint} lustre defaults,relatime,flock,_netdev,x-systemd.automount,${units} 0 0`;
}


/**
 * The boot script: install the client unless the image has it, add the fstab entry once, mount. A node whose mount
 * fails still joins the cluster; its health check (core/render/health) fails on the missing mount and drains it.
 */
export function lustreMountScript(m: LustreMount): string {
  const line = lustreFstabLine(m);
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "rpm -q lustre-client >/dev/null 2>&1 || dnf install -y lustre-client",
    ...(m.efa ? installLnetEfa() : []),
    `mkdir -p ${shellQuote(m.mountPoint)}`,
    `grep -qF ${shellQuote(lustreSource(m))} /etc/fstab || echo ${shellQuote(line)} >> /etc/fstab`,
    "systemctl daemon-reload",
    // Three tries a minute apart: a file system that was just created may still be settling its DNS name [U].
    `for attempt in 1 2 3; do mountpoint -q ${shellQuote(m.mountPoint)} && break; mount ${shellQuote(m.mountPoint)} && break; sleep 60; done`,
    `mountpoint -q ${shellQuote(m.mountPoint)} && mkdir -p ${shellQuote(m.mountPoint + TENANT_SHARES_PATH)} || echo "gigafactory: ${m.mountPoint} is not mounted" >&2`,
    "",
  ].join("\n");
}
