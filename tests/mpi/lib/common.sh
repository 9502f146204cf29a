# Shared helpers for the MPI test scripts (sourced, not a test itself: no `set` of its own).
: "${HPO_BIN:?HPO_BIN must name the hpo binary}"
: "${HPO_SOURCE_DIR:?HPO_SOURCE_DIR must name the source tree}"
MPIEXEC=${MPIEXEC:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
KERNELS="$HPO_SOURCE_DIR/tests/mpi/kernels"

fail() { echo "FAIL: $*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# Runs `hpo` on N ranks; rank r > 0 claims node "node$(( (r-1) / PER_NODE ))" so that one machine
# plays several nodes. Usage: mpi_hpo N PER_NODE hpo-args...
mpi_hpo() {
  local ranks=$1 per_node=$2; shift 2
  "$MPIEXEC" --oversubscribe -n "$ranks" bash -c \
    'r=$OMPI_COMM_WORLD_RANK; HPO_NODE_NAME=node$(( r > 0 ? (r - 1) / '"$per_node"' : 0 )) exec "$0" "$@"' \
    "$HPO_BIN" "$@"
}
