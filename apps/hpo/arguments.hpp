// Splitting `hpo` arguments into options, positional words (the checkpoint file of `hpo resume`,
// `show`, `export`) and the kernel command after `--`.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>

namespace hpo::cli {

struct SplitArguments {
    std::vector<std::string> options;      // for Boost.Program_options, `--name value` joined as `--name=value`
    std::vector<std::string> positionals;  // words that are neither options nor their values
    std::vector<std::string> command;      // everything after the first free `--`, verbatim
    bool has_separator = false;
};

// An option that takes a value always takes the next argument, whatever it looks like: values
// such as `--param '--lr 0.1 [0,1]'` or `--seed -1` begin with a dash, and Boost would take them
// for options. Short options (`-o FILE`) too. A word that is neither an option nor a value is a
// positional word: with `allow_positionals` false (`hpo run`) it throws UsageError (a kernel
// command missing its `--`), otherwise it is collected in `positionals`. An empty value
// (`--timeout ''`, `--timeout=`) throws UsageError naming the option, unless allows_empty_value.
SplitArguments split_arguments(const std::vector<std::string>& args,
                               const boost::program_options::options_description& options,
                               bool allow_positionals = false);

// Whether an option's value may be the empty text: `--log ''` (no log) and `--launch-args ''`
// (none) mean something; for any other option an empty value is a mistake, reported as such.
bool allows_empty_value(const std::string& name);

// Parses the options split_arguments set apart, with the style every subcommand shares: Unix
// syntax, no abbreviated option names (an abbreviation would change meaning as options are added).
boost::program_options::parsed_options parse_split_options(const SplitArguments& split,
                                                           const boost::program_options::options_description& options);

// The one checkpoint file of `hpo resume|show|export FILE.h5 ...`: throws UsageError, citing
// `usage`, for none, several, or a `--` (these subcommands run no kernel command).
std::string checkpoint_argument(const SplitArguments& split, const std::string& usage);

}  // namespace hpo::cli
