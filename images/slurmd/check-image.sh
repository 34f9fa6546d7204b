#!/usr/bin/env bash
# The slurmd image's entry points: what the factory's health checks and acceptance jobs call, at the paths they call.
set -uo pipefail
ROOT="${IMAGE_ROOT:-}"
missing=0
need() {
  if ! test "$1" "$ROOT$2"; then echo "missing: $2 ($3)" >&2; missing=$((missing + 1)); fi
}
need -x '/opt/nccl-tests/build/all_reduce_perf' 'the acceptance jobs'\'' and the burn-in'\''s NCCL all-reduce'
need -x '/opt/amazon/efa/bin/fi_info' 'the health check'\''s EFA device count'
need -x '/opt/amazon/efa/bin/fi_pingpong' 'the burn-in'\''s EFA loopback'
need -f '/opt/amazon/efa/lib/libfabric.so.1' 'libfabric, which NCCL reaches EFA through'
need -f '/opt/nccl/lib/libnccl.so.2' 'NCCL'
need -f '/opt/amazon/ofi-nccl/lib/libnccl-net-ofi.so' 'aws-ofi-nccl, NCCL'\''s network plugin for EFA'
need -f '/usr/local/cuda/lib64/libcudart.so.13' 'the CUDA runtime'
need -x '/usr/bin/dcgmi' 'the health checks'\'' DCGM diagnostics'
need -x '/usr/bin/nv-hostengine' 'DCGM'\''s host engine, which the health checks start for dcgmi'
need -x '/usr/local/bin/enroot' 'Enroot, the container runtime of srun --container-image'
need -f '/usr/local/lib/slurm/spank_pyxis.so' 'Pyxis, the SPANK plugin of srun --container-image'
need -f '/usr/local/share/pyxis/pyxis.conf' 'Pyxis'\'' entry, which plugstack.conf includes'
if [ -z "$ROOT" ] && [ -x '/opt/nccl-tests/build/all_reduce_perf' ]; then
  unresolved="$(ldd '/opt/nccl-tests/build/all_reduce_perf' 2>/dev/null | grep 'not found' | grep -v libcuda.so)" || unresolved=""
  # libcuda comes from the node's driver at run time (the container toolkit mounts it), never from the image.
  [ -z "$unresolved" ] || { echo "all_reduce_perf cannot load: $unresolved" >&2; missing=$((missing + 1)); }
fi
[ "$missing" -eq 0 ] || { echo "$missing entry point(s) missing from the slurmd image" >&2; exit 1; }
echo "slurmd image: every entry point present (Enroot v4.1.2, Pyxis v0.24.0)"
