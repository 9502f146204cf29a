#!/usr/bin/env bash
# A real optimization on a fresh Debian 12 machine: installs what is missing, builds, then runs
# the Python driver examples/seed_driver.py (CrayAI HPO's style: a genetic search over the example
# kernel, a small network fitting sin(x)) and the same search from the command line, each
# printing the best figure of merit and parameters.
#
#   bash scripts/demo.sh              # alone: one evaluation per core
#   HPO_DEMO_RANKS=5 bash scripts/demo.sh   # under mpirun: 1 coordinator + 4 workers
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Only the hpo program (CMake target hpo_cli) and the Python package (hpo_python): the tests and
# benchmarks, most of a full build, are not needed to run a search. setup.sh also installs the
# package for the system's interpreter.
HPO_BUILD_TARGETS="hpo_cli hpo_python" bash scripts/setup.sh build

# Debian's interpreter, for which setup.sh installed the package (a python3 found first on PATH,
# from pyenv or conda, would not see it); the build's copy if the package is not installed.
python=python3
[[ -x /usr/bin/python3 ]] && python=/usr/bin/python3
if ! "$python" -c 'import hpo' 2> /dev/null; then
    export PYTHONPATH=$PWD/build/python${PYTHONPATH:+:$PYTHONPATH}
fi

root=$PWD
kernel=("$python" "$root/examples/sin_kernel.py")  # absolute: each trial runs in its own directory
demo_dir=build/demo
rm -rf "$demo_dir"
mkdir -p "$demo_dir/python"

echo
echo "== the kernel at its default hyperparameters"
"${kernel[@]}"

launcher=()
if [[ -n ${HPO_DEMO_RANKS:-} ]]; then
    launcher=(mpirun --oversubscribe -n "$HPO_DEMO_RANKS")
fi

echo
echo "== the Python driver examples/seed_driver.py: genetic search, 2 demes x 8 individuals x 8 generations"
(cd "$demo_dir/python" && "${launcher[@]}" "$python" "$root/examples/seed_driver.py")

echo
echo "== the same search from the command line (hpo run): the same engine, seed and options, the same trials"
"${launcher[@]}" build/bin/hpo run \
    --param '--lr 0.05 [0.001,1.0] log' \
    --param '--momentum 0.5 [0.0,0.95]' \
    --param '--hidden 4 [1,12]' \
    --param '--activation tanh {tanh,relu,sigmoid}' \
    --param '--init-scale 1.0 [0.1,3.0]' \
    --strategy genetic --generations 8 --pop-size 8 --demes 2 --mutation-rate 0.05 --crossover-rate 0.33 \
    --migration-interval 2 --seed 2019 --timeout 60 \
    --run-dir "$demo_dir/runs" --log "$demo_dir/genetic.log" --checkpoint "$demo_dir/genetic.h5" \
    -- "${kernel[@]}"

echo
echo "The Python driver wrote $demo_dir/python/: its log genetic.log, each trial's stdout and stderr in"
echo "hpo-runs/<trial>/, every trial in the checkpoint hpo.h5 (read it with hpo.load('hpo.h5')); run it"
echo "again there and it returns the finished run's result at once. The command line wrote"
echo "$demo_dir/genetic.log, $demo_dir/runs/ and $demo_dir/genetic.h5 (build/bin/hpo show $demo_dir/genetic.h5)."
echo "The Python guide is docs/python.md. The same search from C++ (README.md, \"C++ driver API\"):"
echo "cmake --build build --target genetic_driver && build/bin/genetic_driver"
