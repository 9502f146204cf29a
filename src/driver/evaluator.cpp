// hpo::Evaluator: turns the driver's kernel command and settings into a KernelConfig.
#include "hpo/driver/evaluator.hpp"

#include <stdexcept>
#include <utility>

namespace hpo {

Evaluator::Evaluator(std::string_view command, EvaluatorOptions options)
    : Evaluator(split_command(command), options) {}

Evaluator Evaluator::from_argv(std::vector<std::string> argv, EvaluatorOptions options) {
    if (argv.empty()) throw CommandLineError("the kernel command is empty");
    return Evaluator(std::move(argv), options);
}

Evaluator::Evaluator(std::vector<std::string> argv, const EvaluatorOptions& options)
    : arg_style_(options.arg_style) {
    // Checked here rather than at optimize() so that a mistake shows where it was made.
    if (options.fom_prefix.empty()) throw std::invalid_argument("the FoM prefix must not be empty");
    if (!(options.timeout >= 0)) throw std::invalid_argument("timeout must be >= 0 seconds");
    if (!(options.kill_grace >= 0)) throw std::invalid_argument("kill_grace must be >= 0 seconds");
    if (options.run_dir.empty()) throw std::invalid_argument("the run directory must not be empty");
    kernel_.command = std::move(argv);
    kernel_.fom_prefix = options.fom_prefix;
    kernel_.timeout_seconds = options.timeout;
    kernel_.kill_grace_seconds = options.kill_grace;
    kernel_.run_dir = options.run_dir;
    kernel_.launcher = options.launcher;
    kernel_.nodes_per_eval = options.nodes_per_eval;
    if (options.launch_args.find_first_not_of(" \t\n") != std::string::npos) {
        kernel_.launch_args = split_command(options.launch_args);
    }
}

}  // namespace hpo
