// `hpo run` options: the table Boost.Program_options parses, and its translation into RunOptions.
#pragma once

#include <string>
#include <vector>

#include "hpo/config/run_options.hpp"

namespace hpo::cli {

struct RunInvocation {
    bool help = false;                  // --help/-h: print help_text, run nothing
    std::string help_text;
    RunOptions options;                 // finalized and checked: the strategy accepts it
    std::vector<std::string> warnings;  // options given that the chosen strategy ignores
};

// Parses the arguments after `hpo run`, reading --config if given (command-line options
// override the file). Throws UsageError, boost::program_options::error, hpo::SpecError or
// std::invalid_argument for anything wrong, before anything runs.
RunInvocation parse_run_arguments(const std::vector<std::string>& args);

}  // namespace hpo::cli
