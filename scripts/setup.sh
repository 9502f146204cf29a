#!/usr/bin/env bash
# Installs hpo's Debian 12 packages if any is missing, configures and builds hpo, and installs
# its Python package (hpo, crayai) into the system interpreter's /usr/local dist-packages, so that
# `python3 -c "import hpo"` works from any directory.
#
#   bash scripts/setup.sh                      # build into build/
#   bash scripts/setup.sh build-asan -DHPO_SANITIZE=ON
#
# Non-interactive; uses sudo when not root. HPO_SKIP_PACKAGES=1 skips the package step (for a
# machine set up by other means). HPO_SKIP_INSTALL=1 skips installing the Python package (a
# sanitized build is never installed: its module needs the ASan runtime preloaded). HPO_BUILD_TARGETS="hpo_cli ..." builds only those targets
# (scripts/demo.sh needs the hpo program, not the tests and benchmarks that are most of the build).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build}
shift || true

packages=(build-essential cmake ninja-build openmpi-bin libopenmpi-dev libboost-mpi-dev
          libboost-serialization-dev libboost-program-options-dev libhdf5-dev hdf5-tools catch2
          libeigen3-dev python3 python3-h5py pkg-config
          slurmctld slurmd slurm-client munge   # Slurm: the local test cluster (tests/slurm/)
          pybind11-dev python3-dev python3-pytest python3-pandas python3-mpi4py  # the Python package
          python3-matplotlib python3-sklearn chromium)  # hpo report: its figures, importance, and the browser test

install_packages() {
    if [[ ${HPO_SKIP_PACKAGES:-0} == 1 ]]; then return; fi
    if ! command -v dpkg-query > /dev/null; then
        echo "setup: not a Debian system; install the equivalents of: ${packages[*]}" >&2
        return
    fi
    local missing=()
    for package in "${packages[@]}"; do
        if [[ $(dpkg-query -W -f='${Status}' "$package" 2> /dev/null) != "install ok installed" ]]; then
            missing+=("$package")
        fi
    done
    if ((${#missing[@]} == 0)); then return; fi

    local sudo=()
    root_command sudo
    echo "setup: installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# Sets the array named $1 to the prefix that runs a command as root: nothing when root, `sudo -n`.
root_command() {
    local -n prefix=$1
    prefix=()
    if ((EUID != 0)); then
        if ! command -v sudo > /dev/null; then
            echo "setup: cannot act as root (no sudo for $(id -un)); needed for: apt-get install, cmake --install" >&2
            exit 1
        fi
        prefix=(sudo -n)  # never prompt: a CI job would hang on a password
    fi
}

build() {
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    local targets=()
    read -r -a targets <<< "${HPO_BUILD_TARGETS:-}"
    if ((${#targets[@]} > 0)); then
        cmake --build "$build_dir" --target "${targets[@]}"
    else
        cmake --build "$build_dir"
    fi
}

# The Python package (CMake install component `python`) into /usr/local's dist-packages.
install_python_package() {
    if [[ ${HPO_SKIP_INSTALL:-0} == 1 ]] || grep -q '^HPO_SANITIZE:BOOL=ON' "$build_dir/CMakeCache.txt"; then return; fi
    cmake --build "$build_dir" --target hpo_python
    local sudo=()
    root_command sudo
    "${sudo[@]}" cmake --install "$build_dir" --component python > /dev/null
    echo "setup: installed the Python packages hpo and crayai under $(sed -n "s/^CMAKE_INSTALL_PREFIX:PATH=//p" "$build_dir/CMakeCache.txt")"
}

install_packages
build "$@"
install_python_package
echo "setup: built into $build_dir/ (hpo is $build_dir/bin/hpo)"
