# shellcheck shell=bash
# What the MPI benchmarks (utilization.sh, coordinator_throughput.sh) share: the hpo binary and
# mpirun they run, and Open MPI's settings for many ranks on few cores, as root. Sourced; uses
# $repo and $HPO (empty: build/bin/hpo), sets HPO (absolute) and MPIEXEC, exits 2 when either is missing.
HPO="${HPO:-$repo/build/bin/hpo}"
[[ -x $HPO ]] || { echo "hpo binary not found ($HPO); pass --hpo PATH (build: cmake --build build --target hpo_cli)" >&2; exit 2; }
HPO="$(cd "$(dirname "$HPO")" && pwd)/$(basename "$HPO")"
MPIEXEC="${MPIEXEC:-$(command -v mpirun || true)}"
[[ -n $MPIEXEC ]] || { echo "no mpirun on PATH (MPIEXEC=... overrides)" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
