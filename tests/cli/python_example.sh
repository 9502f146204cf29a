#!/usr/bin/env bash
# The Python example driver (examples/seed_driver.py, docs/python.md) runs with the package the
# build assembled: a best FoM no worse than the kernel's default point, best parameters that give
# that FoM again, every trial in its directory and the checkpoint; run again in the same folder it
# returns the finished run's result without evaluating anything; under mpirun only rank 0 prints
# and the search is the same (generational: the same trials whatever the number of workers).
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
# shellcheck source=lib/common.bash
source "$here/lib/common.bash"

: "${HPO_SOURCE_DIR:?HPO_SOURCE_DIR must name the source tree (ctest sets it)}"
# shellcheck source=lib/python.bash
source "$here/lib/python.bash"
driver=$HPO_SOURCE_DIR/examples/seed_driver.py
kernel=$HPO_SOURCE_DIR/examples/sin_kernel.py
export HPO_EXAMPLE_GENERATIONS=2  # a short search: 2 generations

default_fom=$("$python" "$kernel" | sed -n 's/^FoM: //p')

# run_driver DIR [LAUNCHER...]: runs the driver in DIR; its stdout in out.txt, stderr in err.txt.
run_driver() {
    local dir=$1
    shift
    mkdir -p "$dir"
    set +e
    (cd "$dir" && "$@" "$python" "$driver") > out.txt 2> err.txt
    rc=$?
    set -e
}

run_driver alone
expect_rc 0 "seed_driver.py"
fom=$(best_fom)
[[ -n $fom ]] || { show_output; fail "no 'best FoM:' line"; }
le "$fom" "$default_fom" || { show_output; fail "best FoM $fom is worse than the default's $default_fom"; }
params=$(sed -n 's/^best parameters: //p' out.txt)
[[ $params == --lr=* ]] || { show_output; fail "best parameters not printed as the kernel's flags"; }
# best_params["--hidden"] is the value of --hidden in the printed flags.
hidden=$(sed -n 's/^best hidden units: //p' out.txt)
[[ " $params " == *" --hidden=$hidden "* ]] || fail "best_params['--hidden'] = '$hidden' is not in '$params'"
# shellcheck disable=SC2086
replay=$("$python" "$kernel" $params | sed -n 's/^FoM: //p')
awk -v a="$replay" -v b="$fom" 'BEGIN { r = (a - b) / b; exit !(r < 1e-4 && r > -1e-4) }' ||
    fail "the best parameters '$params' give FoM $replay, not the reported $fom"
trials=$(sed -n 's/^trials: \([0-9]*\) .*/\1/p' out.txt)
# 2 demes x 8 individuals, then 7 children per deme in the second generation (one elite each).
[[ $trials == 30 ]] || { show_output; fail "trials: '$trials', expected 30 (2 generations, 2 demes x 8)"; }
[[ $(find alone/hpo-runs -mindepth 1 -maxdepth 1 -type d | wc -l) == "$trials" ]] ||
    fail "not one directory per trial in alone/hpo-runs"
[[ -f alone/hpo.h5 ]] || fail "no checkpoint alone/hpo.h5"
expect_grep alone/genetic.log "generation" "the driver's log_fn"

# Again in the same folder: the finished run's result, nothing evaluated, nothing set aside.
cp out.txt first.txt
run_driver alone
expect_rc 0 "seed_driver.py run again"
[[ $(best_fom) == "$fom" ]] || { show_output; fail "run again: best FoM $(best_fom), not $fom"; }
grep -q "^trials: $trials " out.txt || { show_output; fail "run again: not the $trials trials of the first run"; }
[[ $(find alone/hpo-runs -mindepth 1 -maxdepth 1 -type d | wc -l) == "$trials" ]] ||
    fail "run again: trials were evaluated anew"
[[ ! -e alone/hpo.1.h5 ]] || fail "run again: the checkpoint was set aside instead of continued"

# Under mpirun: rank 0 coordinates, two ranks evaluate, every rank returns; one prints.
run_driver mpi "${MPIEXEC:-mpirun}" --oversubscribe -n 3
expect_rc 0 "mpirun -n 3 seed_driver.py"
[[ $(grep -c '^best FoM: ' out.txt) == 1 ]] || { show_output; fail "under mpirun: not exactly one rank printed"; }
[[ $(best_fom) == "$fom" ]] || { show_output; fail "under mpirun: best FoM $(best_fom), alone $fom"; }

echo "python example: ok (best $fom, default $default_fom, $trials trials)"
