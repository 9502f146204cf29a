// The one validation of a kernel's settings (see KernelConfig in kernel.hpp).
#include <cmath>
#include <filesystem>
#include <map>
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

// What hpo itself writes in a trial directory (kernel.cpp, trial_lock.cpp): a link by one of
// these names would be overwritten by, or hide, hpo's own file.
constexpr const char* own_trial_files[] = {"stdout", "stderr", "nodefile", ".hpo-lock"};

void check_stage_paths(const std::vector<std::string>& paths) {
    std::map<std::string, const std::string*> by_name;
    for (const auto& path : paths) {
        const std::string name = staged_name(path);
        if (name.empty()) {
            throw std::invalid_argument("--stage '" + path + "' has no name to link it under in the trial directory");
        }
        for (const char* own : own_trial_files) {
            if (name == own) {
                throw std::invalid_argument("--stage '" + path + "' would be linked as '" + name +
                                            "', a file hpo writes in each trial directory");
            }
        }
        const auto [at, added] = by_name.emplace(name, &path);
        if (!added) {
            throw std::invalid_argument("--stage '" + *at->second + "' and '" + path + "' would both be linked as '" +
                                        name + "' in each trial directory");
        }
    }
}

}  // namespace

std::string staged_name(const std::string& path) {
    std::string trimmed = path;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
    const std::string name = std::filesystem::path(trimmed).filename().string();
    return name == "." || name == ".." || name == "/" ? "" : name;
}

// argv elements, paths and the checkpoint's strings end at a NUL: a word holding one would be cut.
static void check_no_nul(const std::string& what, const std::vector<std::string>& words) {
    for (const std::string& word : words) {
        if (word.find('\0') != std::string::npos) throw std::invalid_argument(what + " contains a NUL byte");
    }
}

void check(const KernelConfig& kernel) {
    if (kernel.command.empty()) throw std::invalid_argument("no kernel command given");
    check_no_nul("the kernel command", kernel.command);
    check_no_nul("the FoM prefix (--fom-prefix)", {kernel.fom_prefix});
    check_no_nul("the run directory (--run-dir)", {kernel.run_dir});
    check_no_nul("the launch arguments (--launch-args)", kernel.launch_args);
    check_no_nul("a staged path (--stage)", kernel.stage_paths);
    if (kernel.fom_prefix.empty()) throw std::invalid_argument("the FoM prefix (--fom-prefix) must not be empty");
    check_seconds("--timeout", kernel.timeout_seconds);
    check_seconds("the kill grace period", kernel.kill_grace_seconds);
    if (kernel.run_dir.empty()) throw std::invalid_argument("the run directory (--run-dir) must not be empty");
    check_launcher(kernel);
    check_stage_paths(kernel.stage_paths);
}

}  // namespace hpo
