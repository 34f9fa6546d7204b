import { round } from "./figures";

// IT load of the GPU nodes at full draw, before cooling: nodes × the catalog's powerKW
// (docs/sources.md#dgx-power: DGX H100 ~10.2 kW [S]; other types [S]/[U] as the catalog marks them).

export function poolPowerKW(nodes: number, nodePowerKW: number): number {
  return round(nodes * nodePowerKW);
}

export function totalPowerKW(pools: { powerKW: number }[]): number {
  return round(pools.reduce((s, p) => s + p.powerKW, 0));
}
