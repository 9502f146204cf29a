#!/usr/bin/env bash
# Prints, as a markdown list, the versions of everything the benchmark results depend on: the
# peers (Optuna, DEAP, scikit-learn, numpy, Python) and hpo's toolchain (Open MPI, HDF5, the
# compiler, CMake), with the Debian package each came from. For the header of bench/RESULTS.md.
#
# usage: bench/peer_versions.sh [--build-dir DIR]
#   --build-dir: report the C++ compiler and build type that DIR was configured with (default:
#                the `c++` on PATH). $HPO_PYTHON: the Python the peers run in (default: the first
#                of /usr/bin/python3, python3 that imports optuna).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
BUILD=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD="$2"; shift ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

deb() {  # deb PACKAGE: " (Debian PACKAGE VERSION)", or nothing
  local v
  v=$(dpkg-query -W -f='${Version}' "$1" 2> /dev/null) && [[ -n "$v" ]] && echo " (Debian $1 $v)"
}

PY=""
for cand in ${HPO_PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$cand" > /dev/null 2>&1 && "$cand" -c 'import optuna' > /dev/null 2>&1; then PY="$cand"; break; fi
done
[[ -n "$PY" ]] || PY=/usr/bin/python3

# One Python start for all the modules; a missing one reads "not installed".
declare -A ver
while IFS='=' read -r name value; do ver[$name]=$value; done < <(
  "$PY" - 2> /dev/null <<'PY'
import importlib, platform
print("python=" + platform.python_version())
for name in ("optuna", "deap", "sklearn", "numpy"):
    try:
        print(name + "=" + importlib.import_module(name).__version__)
    except Exception:
        print(name + "=not installed")
PY
)

mpi="$(ompi_info --version 2> /dev/null | head -1 | sed 's/^Open MPI v/Open MPI /')"
[[ -n "$mpi" ]] || mpi="$(mpirun --version 2> /dev/null | head -1)"
hdf5="$(pkg-config --modversion hdf5 2> /dev/null || h5cc -showconfig 2> /dev/null | sed -n 's/.*HDF5 Version: *//p')"

cxx="c++"
build_type=""
if [[ -n "$BUILD" && -f "$BUILD/CMakeCache.txt" ]]; then
  cxx="$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")"
  build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")"
fi
compiler="$("${cxx:-c++}" --version 2> /dev/null | head -1)"
cmake_version="$(cmake --version 2> /dev/null | head -1 | sed 's/^cmake version //')"
os="$(. /etc/os-release 2> /dev/null && echo "$PRETTY_NAME")"

echo "- Python: ${ver[python]:-unknown} ($PY)"
echo "- Optuna: ${ver[optuna]:-not installed}$(deb python3-optuna)"
echo "- DEAP: ${ver[deap]:-not installed}$(deb python3-deap)"
echo "- scikit-learn: ${ver[sklearn]:-not installed}$(deb python3-sklearn)"
echo "- numpy: ${ver[numpy]:-not installed}$(deb python3-numpy)"
echo "- Open MPI: ${mpi:-not installed}$(deb openmpi-bin)"
echo "- HDF5: ${hdf5:-not installed}$(deb libhdf5-dev)"
echo "- compiler: ${compiler:-unknown}${build_type:+, CMAKE_BUILD_TYPE=$build_type}"
echo "- CMake: ${cmake_version:-unknown}"
echo "- OS: ${os:-unknown}, $(uname -sr)"
echo "- hpo: git commit $(git -C "$repo" rev-parse --short HEAD 2> /dev/null || echo unknown)"
