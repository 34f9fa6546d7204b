import { shellQuote } from "../../lib/shell";

// LNet over EFA on a GPU node, for a file system created with EFA (FSx for Lustre User Guide, "Configuring EFA
// clients", and the EKS guide "Optimize Amazon FSx for Lustre performance on nodes (EFA)",
// docs/sources.md#fsx-lustre-efa-clients): the EFA LND (kefalnd) bound to the primary interface, TCP kept on that
// interface for the mount's first contact, EFA rails added, peer discovery on and the EFA network preferred (UDSP),
// then the mount as always (`…@tcp:/…`): discovery moves the traffic to the file system's EFA addresses. Without it a
// node reads over its one ENA interface, a fraction of what its EFA cards carry.
// It runs as a systemd unit before every Lustre mount, so a reboot, which runs no user data, keeps it.

export const LNET_EFA_UNIT = "gigafactory-lnet-efa.service";
export const LNET_EFA_SCRIPT = "/usr/local/sbin/gigafactory-lnet-efa";
// FSx counts EFA connections per file system (1,024 per client, "Configuring EFA clients" [P]); AWS's own client script
// takes every fourth of a p5's 32 devices. At most 8 rails, spread over the node's cards [U: project choice within it].
export const LUSTRE_EFA_MAX_RAILS = 8;
// Peer credits per EFA rail, the FSx guide's value.
export const LUSTRE_EFA_PEER_CREDITS = 32;

/** The LNet setup, idempotent: a node where it already ran (or with no EFA device) changes nothing. */
export function lnetEfaScript(): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "lnetctl net show --net efa 2>/dev/null | grep -q '@efa' && exit 0",
    // EFA devices by their driver: the node's EFA interfaces, whatever their names on this instance type.
    'devices=$(for d in /sys/class/infiniband/*; do [ -e "$d/device/driver" ] && [ "$(basename "$(readlink -f "$d/device/driver")")" = efa ] && basename "$d"; done || true)',
    '[ -n "$devices" ] || { echo "gigafactory: no EFA device; Lustre stays on TCP" >&2; exit 0; }',
    'primary=$(ip -o -4 route show default | awk \'{print $5; exit}\')',
    "modprobe lnet",
    'modprobe kefalnd ipif_name="$primary"',
    "modprobe ksocklnd",
    "lnetctl lnet configure",
    "lnetctl net del --net tcp 2>/dev/null || true",
    'lnetctl net add --net tcp --if "$primary"',
    'count=$(echo "$devices" | wc -l)',
    `stride=$(( (count + ${LUSTRE_EFA_MAX_RAILS} - 1) / ${LUSTRE_EFA_MAX_RAILS} ))`,
    `for dev in $(echo "$devices" | awk -v s="$stride" '(NR - 1) % s == 0'); do lnetctl net add --net efa --if "$dev" --peer-credits ${LUSTRE_EFA_PEER_CREDITS}; done`,
    "lnetctl set discovery 1",
    "lnetctl udsp add --src efa --priority 0",
    "modprobe lustre",
    "",
  ].join("\n");
}

export function lnetEfaUnit(): string {
  return [
    "[Unit]",
    "Description=gigafactory: LNet over EFA for the factory's Lustre file system",
    "Wants=network-online.target",
    "After=network-online.target",
    "Before=remote-fs-pre.target",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=${LNET_EFA_SCRIPT}`,
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** Boot-script lines that install and start the unit. */
export function installLnetEfa(): string[] {
  return [
    `printf '%s' ${shellQuote(lnetEfaScript())} > ${LNET_EFA_SCRIPT} && chmod 0755 ${LNET_EFA_SCRIPT}`,
    `printf '%s' ${shellQuote(lnetEfaUnit())} > /etc/systemd/system/${LNET_EFA_UNIT}`,
    "systemctl daemon-reload",
    `systemctl enable --now ${LNET_EFA_UNIT}`,
  ];
}
