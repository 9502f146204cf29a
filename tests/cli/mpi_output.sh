#!/usr/bin/env bash
# Under mpirun every rank runs the same `hpo run`: the summary and a usage error appear once,
# from rank 0, and the exit status is the run's.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

mpiexec=${MPIEXEC:-$(command -v mpirun || true)}
[[ -n $mpiexec ]] || fail "no MPIEXEC and no mpirun on PATH"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

write_quadratic_kernel ./kernel.sh
mpi_hpo() {
    set +e
    timeout 300 "$mpiexec" -n 3 "$HPO_BIN" "$@" > out.txt 2> err.txt
    rc=$?
    set -e
}

mpi_hpo run --param '--x 0.9 [0.0,1.0]' --param '--y 4 [0,5]' --generations 3 --pop-size 4 --demes 2 \
    --no-progress --run-dir runs -- ./kernel.sh
expect_rc 0 "mpirun -n 3 hpo run"
(($(grep -c '^best FoM: ' out.txt) == 1)) || { show_output; fail "the summary was not printed exactly once"; }
(($(grep -c '^best parameters: ' out.txt) == 1)) || { show_output; fail "best parameters not printed exactly once"; }

mpi_hpo run --param '--x 0.9 [1.0,0.0]' -- ./kernel.sh
[[ $rc != 0 ]] || { show_output; fail "a bad spec under mpirun exited 0"; }
(($(grep -c 'hpo: error: ' err.txt) == 1)) || { show_output; fail "the usage error was not reported exactly once"; }

echo "mpi output: ok"
