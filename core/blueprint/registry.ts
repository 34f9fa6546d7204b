import type { Blueprint } from "./types";
import { installedCharts, type PinnedChart } from "../catalog/charts";
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

type MirrorPools = Blueprint["pools"];

/** Every chart the factory installs from its registry: the add-ons (with cert-manager and the FSx CSI driver) and the three Slinky charts. */
export function factoryCharts(pools: MirrorPools): PinnedChart[] {
  return [...installedCharts(pools, PLATFORM_CHARTS), ...SLINKY_CHARTS];
}

/** Every copy into the factory's registry, each repository once. */
export function factoryMirrorCopies(pools: MirrorPools): MirrorCopy[] {
  const addons = installedCharts(pools, PLATFORM_CHARTS).map((c) => c.chart);
  return [...mirrorCopies(addons), ...slinkyMirrorCopies()];
}
