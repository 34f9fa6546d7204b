// FSx for Lustre PERSISTENT_2 throughput tiers, MB/s per TiB of storage (FSx API PerUnitStorageThroughput [P];
// docs/sources.md#fsx-lustre-performance).
export const LUSTRE_TIERS_MBPS_PER_TIB = [125, 250, 500, 1000] as const;
