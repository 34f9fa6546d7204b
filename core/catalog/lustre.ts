// FSx for Lustre PERSISTENT_2 throughput tiers, MB/s per TiB of storage (FSx API PerUnitStorageThroughput [P];
// docs/sources.md#fsx-lustre-performance).
export const LUSTRE_TIERS_MBPS_PER_TIB = [125, 250, 500, 1000] as const;

// Lustre clients reach the file servers on TCP 988 and 1018-1023 (FSx for Lustre User Guide, "File system access
// control with Amazon VPC" [P]; docs/sources.md#fsx-lustre-access-control).
export const LUSTRE_PORT_RANGES: readonly (readonly [number, number])[] = [
  [988, 988],
  [1018, 1023],
];
