// The one validation of a kernel's settings (see KernelConfig in kernel.hpp).
#include <cmath>
#include <stdexcept>
#include <string>

#include "hpo/config/option_table.hpp"
#include "hpo/exec/kernel_config.hpp"

namespace hpo {

namespace {

void check_seconds(const char* option, double seconds) {
    if (!(std::isfinite(seconds) && seconds >= 0)) {
        throw std::invalid_argument(std::string(option) + " must be a number of seconds >= 0, got " +
                                    option_text(seconds));
    }
}

void check_launcher(const KernelConfig& kernel) {
    if (kernel.nodes_per_eval < 1) {
        throw std::invalid_argument("--nodes-per-eval must be at least 1, got " + std::to_string(kernel.nodes_per_eval));
    }
    if (launches_remotely(kernel.launcher)) return;
    if (kernel.nodes_per_eval > 1) {
        throw std::invalid_argument("--nodes-per-eval " + std::to_string(kernel.nodes_per_eval) +
                                    " needs --launcher srun or mpirun: the local launcher runs each evaluation on "
                                    "its worker's own node");
    }
    if (!kernel.launch_args.empty()) {
        throw std::invalid_argument("--launch-args are for --launcher srun or mpirun, not the local launcher");
    }
}

}  // namespace

void check(const KernelConfig& kernel) {
    if (kernel.command.empty()) throw std::invalid_argument("no kernel command given");
    if (kernel.fom_prefix.empty()) throw std::invalid_argument("the FoM prefix (--fom-prefix) must not be empty");
    check_seconds("--timeout", kernel.timeout_seconds);
    check_seconds("the kill grace period", kernel.kill_grace_seconds);
    if (kernel.run_dir.empty()) throw std::invalid_argument("the run directory (--run-dir) must not be empty");
    check_launcher(kernel);
}

}  // namespace hpo
