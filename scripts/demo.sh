#!/usr/bin/env bash
# A real optimization on a fresh Debian 12 machine: installs what is missing, builds, then runs a
# genetic search over the example kernel (a small network fitting sin(x)) and prints the best
# figure of merit and parameters.
#
#   bash scripts/demo.sh              # alone: one evaluation per core
#   HPO_DEMO_RANKS=5 bash scripts/demo.sh   # under mpirun: 1 coordinator + 4 workers
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Only the hpo program (CMake target hpo_cli): the tests and benchmarks, most of a full build,
# are not needed to run a search. The example kernel is a Python script and needs no build.
HPO_BUILD_TARGETS=hpo_cli bash scripts/setup.sh build

kernel=(python3 "$PWD/examples/sin_kernel.py")  # absolute: each trial runs in its own directory
demo_dir=build/demo
rm -rf "$demo_dir"
mkdir -p "$demo_dir"

echo
echo "== the kernel at its default hyperparameters"
"${kernel[@]}"

launcher=()
if [[ -n ${HPO_DEMO_RANKS:-} ]]; then
    launcher=(mpirun --oversubscribe -n "$HPO_DEMO_RANKS")
fi

echo
echo "== genetic search: 2 demes x 8 individuals x 8 generations"
"${launcher[@]}" build/bin/hpo run \
    --param '--lr 0.05 [0.001,1.0] log' \
    --param '--momentum 0.5 [0.0,0.95]' \
    --param '--hidden 4 [1,12]' \
    --param '--activation tanh {tanh,relu,sigmoid}' \
    --param '--init-scale 1.0 [0.1,3.0]' \
    --strategy genetic --generations 8 --pop-size 8 --demes 2 --seed 2019 --timeout 60 \
    --run-dir "$demo_dir/runs" --log "$demo_dir/genetic.log" --checkpoint "$demo_dir/genetic.h5" \
    -- "${kernel[@]}"

echo
echo "The log is $demo_dir/genetic.log; each trial's stdout and stderr are in $demo_dir/runs/<trial>/;"
echo "every trial is in the checkpoint $demo_dir/genetic.h5 (build/bin/hpo show $demo_dir/genetic.h5)."
echo "The same search from C++ (README.md, \"C++ driver API\"): examples/genetic_driver.cpp;"
echo "build and run it with: cmake --build build --target genetic_driver && build/bin/genetic_driver"
