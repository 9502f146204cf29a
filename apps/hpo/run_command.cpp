// `hpo run`: parse, optimize, report.
#include "run_command.hpp"

#include <iostream>
#include <stdexcept>

#include "cli_options.hpp"
#include "exit_codes.hpp"
#include "hpo/driver/launch_rank.hpp"
#include "hpo/run/run.hpp"
#include "print_result.hpp"

namespace hpo::cli {

int run_command(const std::vector<std::string>& args) {
    const RunInvocation invocation = parse_run_arguments(args);
    // Under mpirun every rank parses the same arguments and gets the same result: one speaks.
    const bool speaker = is_coordinator();
    if (invocation.help) {
        if (speaker) std::cout << invocation.help_text;
        return exit_success;
    }
    if (speaker) {
        for (const auto& warning : invocation.warnings) std::cerr << "hpo: warning: " << warning << "\n";
    }

    RunResult result;
    try {
        result = run(invocation.options);
    } catch (const std::invalid_argument& error) {
        // The options were checked above; whatever the run rejects now is a failure, not usage.
        throw std::runtime_error(error.what());
    }

    // A run with no successful trial exits 1: it produced no answer, and the usual cause is a
    // broken kernel command that a batch script must not mistake for success.
    const std::string failure = failure_reason(invocation.options, result);
    if (speaker) {
        if (!invocation.options.quiet) print_result(std::cout, invocation.options, result);
        if (!failure.empty()) std::cerr << "hpo: error: " << failure << "\n";
    }
    return failure.empty() ? exit_success : exit_failure;
}

}  // namespace hpo::cli
