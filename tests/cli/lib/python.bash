# Shared by the tests/cli/*.sh tests of the Python package (sourced after common.bash): sets
# $python, the interpreter the package is built for (python/CMakeLists.txt: Debian's, if there),
# and puts the package the build assembled (<build>/python) on PYTHONPATH.
# shellcheck shell=bash disable=SC2034  # $python is set for the tests that source this file

build_dir=$(dirname "$(dirname "$HPO_BIN")")
[[ -f $build_dir/python/hpo/__init__.py && -f $build_dir/python/crayai/__init__.py ]] || fail "no Python package in $build_dir/python"
python=python3
[[ -x /usr/bin/python3 ]] && python=/usr/bin/python3
export PYTHONPATH=$build_dir/python
if grep -q '^HPO_SANITIZE:BOOL=ON' "$build_dir/CMakeCache.txt"; then
    # The interpreter is not instrumented: the sanitizers' runtimes must be loaded before it.
    cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:FILEPATH=//p' "$build_dir/CMakeCache.txt")
    LD_PRELOAD=$("$cxx" -print-file-name=libasan.so):$("$cxx" -print-file-name=libubsan.so)
    export LD_PRELOAD
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
fi
