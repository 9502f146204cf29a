// Splitting `hpo run` arguments into hpo's options and the kernel command after `--`.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>

namespace hpo::cli {

struct SplitArguments {
    std::vector<std::string> options;  // for Boost.Program_options, `--name value` joined as `--name=value`
    std::vector<std::string> command;  // everything after the first free `--`, verbatim
    bool has_separator = false;
};

// An option that takes a value always takes the next argument, whatever it looks like: values
// such as `--param '--lr 0.1 [0,1]'` or `--seed -1` begin with a dash, and Boost would take them
// for options. Throws UsageError for a stray word before `--` (a kernel command missing its `--`).
SplitArguments split_arguments(const std::vector<std::string>& args,
                               const boost::program_options::options_description& options);

}  // namespace hpo::cli
