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
    kernel_.echo_output = options.echo_output;
    kernel_.stage_paths = options.stage_paths;
    kernel_.checkpoint_root = options.checkpoint_root;  // made absolute when the run starts (finalize)
    check(kernel_);  // here rather than at optimize(), so that a mistake shows where it was made
}

}  // namespace hpo
