// Reading `hpo run --config run.ini`, and merging its parameters with the command line's.
#include "config_file.hpp"

#include <fstream>

#include "exit_codes.hpp"
#include "hpo/space/parse.hpp"

namespace hpo::cli {

namespace po = boost::program_options;

po::parsed_options read_config_file(const std::string& path, const po::options_description& options) {
    std::ifstream file(path);
    if (!file) throw UsageError("cannot read the config file '" + path + "'");
    try {
        return po::parse_config_file(file, options, /*allow_unregistered=*/false);
    } catch (po::error& error) {
        // Boost's message does not say which file; with a config file and a command line both
        // in play, the user needs to know.
        throw UsageError(std::string(error.what()) + " (in the config file '" + path + "')");
    }
}

std::vector<std::string> values_of(const po::parsed_options& parsed, const std::string& name) {
    std::vector<std::string> values;
    for (const auto& option : parsed.options) {
        if (option.string_key == name) values.insert(values.end(), option.value.begin(), option.value.end());
    }
    return values;
}

std::vector<std::string> merge_params(const std::vector<std::string>& from_file,
                                      const std::vector<std::string>& from_command_line) {
    if (from_file.empty()) return from_command_line;
    if (from_command_line.empty()) return from_file;
    std::vector<std::string> flags;
    for (const auto& spec : from_command_line) flags.push_back(parse_parameter(spec).flag());
    std::vector<bool> used(from_command_line.size(), false);

    std::vector<std::string> merged;
    for (const auto& spec : from_file) {
        const std::string flag = parse_parameter(spec).flag();
        std::size_t i = 0;
        while (i < flags.size() && (used[i] || flags[i] != flag)) ++i;
        if (i < flags.size()) {
            used[i] = true;
            merged.push_back(from_command_line[i]);
        } else {
            merged.push_back(spec);
        }
    }
    for (std::size_t i = 0; i < from_command_line.size(); ++i) {
        if (!used[i]) merged.push_back(from_command_line[i]);
    }
    return merged;
}

}  // namespace hpo::cli
