# The exported CMake package: install hpo to a prefix, then a separate project finds it with
# find_package(hpo), links hpo::hpo, and runs a real optimization through the driver API.
source "$(dirname "$0")/lib/common.bash"

build_dir=$(dirname "$(dirname "$HPO_BIN")")
cmake --install "$build_dir" --prefix "$work/prefix" > install.log 2>&1 || { cat install.log; fail "cmake --install failed"; }

# Only the driver API's headers are installed: the library's own stay inside it.
[[ -f $work/prefix/include/hpo/hpo.hpp ]] || fail "hpo/hpo.hpp is not installed"
for private in strategy/genetic.hpp strategy/gaussian_process.hpp strategy/factory.hpp exec/kernel.hpp \
               exec/launcher.hpp dist/coordinator.hpp store/checkpoint_writer.hpp; do
    [[ ! -e $work/prefix/include/hpo/$private ]] || fail "the library's own header hpo/$private is installed"
done

mkdir consumer
cat > consumer/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(consumer CXX)
find_package(hpo REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE hpo::hpo)
CMAKE
cat > consumer/main.cpp <<'CPP'
#include <hpo/hpo.hpp>
#include <iostream>
int main() {
    hpo::Evaluator evaluator("sh -c 'echo FoM: $(echo \"$1\" | cut -d= -f2)' kernel");
    hpo::Params params({{"--x", 5, hpo::range(0, 9)}});
    hpo::grid::Optimizer optimizer(evaluator, {.grid_size = 10}, {.checkpoint_fn = "", .parallel = 2});
    optimizer.optimize(params);
    std::cout << "best " << optimizer.best_fom() << " at " << optimizer.best_params() << "\n";
}
CPP
flags=()  # a sanitized hpo needs a sanitized consumer
grep -q '^HPO_SANITIZE:BOOL=ON' "$build_dir/CMakeCache.txt" && flags=(-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined)
cmake -S consumer -B consumer/build -DCMAKE_PREFIX_PATH="$work/prefix" "${flags[@]}" > configure.log 2>&1 \
    || { cat configure.log; fail "find_package(hpo) failed"; }
cmake --build consumer/build > build.log 2>&1 || { cat build.log; fail "the consumer did not build against hpo::hpo"; }
(cd consumer && ./build/consumer > ../out.txt 2> ../err.txt) || { cat err.txt; fail "the consumer failed"; }
grep -q "^best 0 at --x=0$" out.txt || { cat out.txt; fail "unexpected result from the installed library"; }
echo "ok: $(cat out.txt)"
