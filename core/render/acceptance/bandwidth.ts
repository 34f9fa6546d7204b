import { instanceType } from "../../catalog/instances";
import type { InstanceType } from "../../catalog/types";

// The bus bandwidth an NCCL all-reduce across nodes must reach, from the catalog's scale-out bandwidth.
//
// An all-reduce of S bytes sends about 2·S bytes out of every node whatever the algorithm (ring or tree), and
// nccl-tests reports busbw = algbw · 2(n-1)/n, so across nodes busbw is bounded by the node's network bandwidth
// (nccl-tests doc/PERFORMANCE.md, "Bus bandwidth" [P]). The node's EFA bandwidth is the catalog's networkGbps
// (K-IT instance-network-bandwidth [P]; GB200's 1,600 Gbps is [S]). A unit passes at a fraction of that line rate:
// EFA's SRD and NCCL's protocol overhead keep large-message busbw below it [U: project threshold; AWS publishes
// no NCCL figure per type].
export const ACCEPTANCE_LINE_RATE_FRACTION = 0.75;

/** Largest message of the test: large enough that busbw reaches its plateau (nccl-tests' own examples go to 8-16 GB). */
export const ACCEPTANCE_MAX_BYTES = "16G";

export interface BandwidthExpectation {
  instanceType: string;
  networkGbps: number;
  /** The node's line rate, GB/s (networkGbps / 8). */
  lineRateGBps: number;
  /** What the all-reduce's busbw must reach, GB/s. */
  expectedBusBandwidthGBps: number;
  /** Where the figure comes from, in words a reviewer can check. */
  source: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The all-reduce expectation of an instance type; undefined for a type NCCL does not drive (Trainium: Neuron's own collectives). */
export function busBandwidthExpectation(type: InstanceType | string | undefined): BandwidthExpectation | undefined {
  const t = typeof type === "string" ? instanceType(type) : type;
  if (!t || t.accelerator !== "nvidia" || t.networkGbps <= 0) return undefined;
  const lineRateGBps = t.networkGbps / 8;
  const grade = t.efaLayout === null ? "[S]" : "[P]";
  return {
    instanceType: t.name,
    networkGbps: t.networkGbps,
    lineRateGBps,
    expectedBusBandwidthGBps: round1(lineRateGBps * ACCEPTANCE_LINE_RATE_FRACTION),
    source:
      `catalog networkGbps ${t.networkGbps} Gbps for ${t.name} (Karpenter instance-types reference ${grade}) = ${lineRateGBps} GB/s per node; ` +
      `busbw across nodes is bounded by it (nccl-tests PERFORMANCE.md [P]); pass at ${ACCEPTANCE_LINE_RATE_FRACTION * 100}% of line rate [U]`,
  };
}

// Reading nccl-tests' output: every data row of all_reduce_perf's table ends with, for the out-of-place then the
// in-place run, `time algbw busbw #wrong` (nccl-tests src/common.cu [P]); counted from the end, the busbw columns
// are NF-5 and NF-1 and the wrong-result counts NF-4 and NF, whether or not the version prints a root column.
// A unit's figure is its best busbw (the large-message plateau); any wrong result fails it.
export const BUSBW_AWK = String.raw`$1 ~ /^[0-9]+$/ && NF >= 12 {
  if ($(NF-5) + 0 > best) best = $(NF-5) + 0
  if ($(NF-1) + 0 > best) best = $(NF-1) + 0
  if ($(NF-4) ~ /^[0-9]+$/) wrong += $(NF-4)
  if ($NF ~ /^[0-9]+$/) wrong += $NF
  rows++
}
END { printf "%s %d %d\n", best + 0, wrong + 0, rows + 0 }`;
