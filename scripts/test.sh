#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine too: installs what is missing, builds and
# runs ctest, then does the same with AddressSanitizer + UndefinedBehaviorSanitizer.
#
#   bash scripts/test.sh               # both builds
#   HPO_TEST_SANITIZE=0 bash scripts/test.sh   # the normal build only
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# mpirun refuses to run as root (CI containers) unless told it is fine.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
jobs=${HPO_TEST_JOBS:-2}

section() { printf '\n==== %s ====\n' "$*"; }

section "setup and build (build/)"
bash scripts/setup.sh build
section "benchmark peers (Optuna, DEAP, scikit-learn from Debian)"
bash bench/setup.sh
section "tests (build/)"
ctest --test-dir build --output-on-failure -j"$jobs"

if [[ ${HPO_TEST_SANITIZE:-1} == 1 ]]; then
    section "setup and build with ASan + UBSan (build-asan/)"
    # -O1 -g1 (not RelWithDebInfo's -O2 -g): the sanitizers' recommended level, line numbers in
    # their reports, and a build that takes minutes less on CI's 2 cores.
    HPO_SKIP_PACKAGES=1 HPO_SKIP_INSTALL=1 bash scripts/setup.sh build-asan -DHPO_SANITIZE=ON \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
    section "tests (build-asan/)"
    # Open MPI leaks by design at exit: leak detection would fail every MPI test. The benchmark
    # harness (label bench) ran in the normal build; timing it under sanitizers tells nothing.
    # Label slow: end-to-end runs of the normal build that other tests repeat in small.
    # cli.bit_flips reads 80 damaged copies there (200 in the normal pass).
    ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 HPO_FLIPS=80 HPO_PAGES=16 \
        ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE 'bench|slow'
fi
section "all tests passed"
