// `hpo run` and `hpo resume`: parse, optimize, report.
#include "run_command.hpp"

#include <iostream>
#include <stdexcept>

#include "cli_options.hpp"
#include "exit_codes.hpp"
#include "hpo/driver/launch_rank.hpp"
#include "hpo/driver/param_values.hpp"
#include "hpo/run/run.hpp"
#include "print_result.hpp"
#include "resume_options.hpp"

namespace hpo::cli {

namespace {

int execute(const RunInvocation& invocation) {
    // Under mpirun every rank parses the same arguments and gets the same result: one speaks.
    const bool speaker = is_coordinator();
    if (invocation.help) {
        if (speaker) std::cout << invocation.help_text;
        return exit_success;
    }
    if (speaker) {
        for (const auto& warning : invocation.warnings) std::cerr << "hpo: warning: " + warning + "\n" << std::flush;
    }

    const RunOptions& options = invocation.options;
    RunResult result;
    try {
        result = run(options);
    } catch (const std::invalid_argument& error) {
        // The options were checked when parsed; what the run refuses now is the checkpoint (it
        // exists, it holds another search, it is damaged), on every rank alike: nothing ran.
        throw ConfigError(error.what());
    }

    if (speaker && !options.quiet) {
        print_result(std::cout, options, result);
        if (!options.checkpoint_fn.empty()) {
            std::string line = "checkpoint: " + shell_quote(options.checkpoint_fn);
            if (result.resumed_trials > 0) line += " (resumed with " + std::to_string(result.resumed_trials) + " trials)";
            std::cout << line + "\n" << std::flush;
        }
    }
    // hpo's own trouble first: it stopped the run, and it is no signal a requeue would fix alone.
    if (!result.setup_error.empty()) {
        if (speaker) std::cerr << "hpo: error: " + setup_error_notice(options, result.setup_error) + "\n" << std::flush;
        return exit_failure;
    }
    // Interrupted comes next: a batch script must resume, whatever the trials so far did.
    if (result.interrupted) {
        if (speaker) std::cerr << "hpo: " + interruption_notice(options, result) + "\n" << std::flush;
        return exit_interrupted;
    }
    // A run with no successful trial exits 1: it produced no answer, and the usual cause is a
    // broken kernel command that a batch script must not mistake for success.
    const std::string failure = failure_reason(options, result);
    if (!failure.empty()) {
        if (speaker) std::cerr << "hpo: error: " + failure + "\n" << std::flush;
        return exit_failure;
    }
    return exit_success;
}

}  // namespace

int run_command(const std::vector<std::string>& args) { return execute(parse_run_arguments(args)); }

int resume_command(const std::vector<std::string>& args) { return execute(parse_resume_arguments(args)); }

}  // namespace hpo::cli
