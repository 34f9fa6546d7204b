import type { Blueprint } from "./types";
import { chartRepository, chartsAtVersions, installedCharts, type PinnedChart } from "../catalog/charts";
import { mirrorCopies, type MirrorCopy } from "../catalog/images";
import { SLINKY_CHARTS, slinkyMirrorCopies } from "../catalog/slinky-charts";

// What the factory's registry must hold before the cluster's releases install: the add-ons' charts and the images
// no pull-through cache serves, and Slurm's. One list, read by the program (the ECR repositories) and by
// `gigafactory render` (images/mirror.sh), so a chart the program installs is never missing from the copy.

/** Slurm's operator takes its webhook's certificates from cert-manager (docs/sources.md#slinky-slurm-operator): the factory installs it. */
export const FACTORY_NEEDS_CERT_MANAGER = true;
/** Every factory has its Lustre file system (components/data/storage.ts), offered to pods through the FSx CSI driver. */
export const FACTORY_HAS_LUSTRE = true;
/** The options the platform installs its add-ons with, and the registry copies their charts for. */
export const PLATFORM_CHARTS = { certManager: FACTORY_NEEDS_CERT_MANAGER, lustre: FACTORY_HAS_LUSTRE } as const;

export type MirrorPools = Pick<Blueprint["pools"][number], "instanceType" | "efaInterfacesPerNode">[];

/**
 * Every chart the factory installs from its registry: the add-ons (with cert-manager and the FSx CSI driver) and the
 * three Slinky charts; at the releases of `versions` (by chart: the blueprint's charts), else at their pins.
 */
export function factoryCharts(pools: MirrorPools, versions: Readonly<Record<string, string>> = {}): PinnedChart[] {
  return chartsAtVersions([...installedCharts(pools, PLATFORM_CHARTS), ...SLINKY_CHARTS], versions);
}

/**
 * Every copy into the factory's registry, each repository once; a chart at the release its Kubernetes minor selects
 * (`versions`, by chart: the blueprint's charts), else at its pin.
 */
export function factoryMirrorCopies(pools: MirrorPools, versions: Readonly<Record<string, string>> = {}): MirrorCopy[] {
  const addons = installedCharts(pools, PLATFORM_CHARTS).map((c) => c.chart);
  const tags = new Map(factoryCharts(pools, versions).map((c) => [chartRepository(c), c.version]));
  return [...mirrorCopies(addons), ...slinkyMirrorCopies()].map((c) => (c.kind === "chart" && tags.has(c.repository) ? { ...c, tag: tags.get(c.repository)! } : c));
}
