import { shellQuote } from "../../lib/shell";
import { BUSBW_AWK } from "./bandwidth";
import { jobName, type AcceptanceTarget } from "./jobs";

/** check-results.sh DIR: which units and pools reached their bus bandwidth, from the jobs' output files. */
export function renderResultsCheck(factory: string, targets: readonly AcceptanceTarget[]): string {
  return [
    "#!/usr/bin/env bash",
    `# Which units and pools of ${factory} pass NCCL acceptance. Rendered by gigafactory from the blueprint.`,
    "# usage: check-results.sh DIR, where DIR holds each job's output: Slurm's <job>-<id>.out (sbatch from DIR),",
    "# or <job>.log (kubectl logs -n <namespace> <job>-launcher > DIR/<job>.log). Exits 1 unless every one passes.",
    "set -uo pipefail",
    'DIR="${1:-.}"',
    `AWK=${shellQuote(BUSBW_AWK)}`,
    "passed=0; total=0; status=0",
    "while read -r job expected; do",
    "  total=$((total + 1))",
    '  file="$(ls -t "$DIR/$job"-[0-9]*.out "$DIR/$job".log 2>/dev/null | head -n1)"',
    '  if [ -z "$file" ]; then echo "MISSING $job: no output in $DIR"; status=1; continue; fi',
    '  read -r busbw wrong rows <<<"$(awk "$AWK" "$file")"',
    '  if [ "$rows" -eq 0 ]; then echo "FAIL $job: no all_reduce_perf table in $file"; status=1',
    '  elif [ "$wrong" -gt 0 ]; then echo "FAIL $job: $wrong wrong results in $file"; status=1',
    '  elif awk -v got="$busbw" -v want="$expected" \'BEGIN { exit !(got + 0 < want + 0) }\'; then',
    '    echo "FAIL $job: $busbw GB/s bus bandwidth, below the $expected GB/s expected"; status=1',
    '  else echo "PASS $job: $busbw GB/s bus bandwidth, at least the $expected GB/s expected"; passed=$((passed + 1)); fi',
    "done <<'TARGETS'",
    ...targets.map((t) => `${jobName(t)} ${t.expectation.expectedBusBandwidthGBps}`),
    "TARGETS",
    'echo "acceptance: $passed of $total pass"',
    'exit "$status"',
    "",
  ].join("\n");
}
