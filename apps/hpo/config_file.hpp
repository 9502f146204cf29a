// Reading `hpo run --config run.ini`, and merging its parameters with the command line's.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>

namespace hpo::cli {

// `key = value` lines with the long option names (`pop-size = 10`, `param = --lr [0,1]`,
// `command = python3 train.py`); `#` starts a comment, except inside quotes or {...}/[...]; a
// UTF-8 byte order mark is skipped. Throws UsageError, naming the file and the line, if the file
// cannot be read, for a line that is not `key = value`, an unknown key or an empty value.
boost::program_options::parsed_options read_config_file(const std::string& path,
                                                        const boost::program_options::options_description& options);

// Every value of option `name` in the order given.
std::vector<std::string> values_of(const boost::program_options::parsed_options& parsed, const std::string& name);

// The file's parameters with the command line's on top: a command-line `--param` for a flag the
// file has replaces it in place, others are appended. Throws hpo::SpecError for a spec whose
// flag cannot be read.
std::vector<std::string> merge_params(const std::vector<std::string>& from_file,
                                      const std::vector<std::string>& from_command_line);

}  // namespace hpo::cli
