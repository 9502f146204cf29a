// Reading `hpo run --config run.ini`, and merging its parameters with the command line's.
#include "config_file.hpp"

#include <fstream>
#include <string_view>

#include "arguments.hpp"
#include "exit_codes.hpp"
#include "hpo/space/parse.hpp"

namespace hpo::cli {

namespace po = boost::program_options;

namespace {

// The text of a line before its comment. `#` starts a comment outside quotes ('...', "...",
// where a backslash escapes the next character) and outside {...} and [...]: a choice option
// `"#1"`, a choice `{c#,f#}` and a quoted word of the command keep their `#`.
std::string_view before_comment(std::string_view line) {
    char quote = 0;
    int depth = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == '\\') ++i;
            else if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        } else if (c == '#' && depth == 0) {
            return line.substr(0, i);
        }
    }
    return line;
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

// Read here rather than by Boost's parse_config_file, whose every `#` starts a comment and
// which takes a UTF-8 byte order mark for part of the first key.
po::parsed_options read_config_file(const std::string& path, const po::options_description& options) {
    std::ifstream file(path);
    if (!file) throw UsageError("cannot read the config file '" + path + "'");
    po::parsed_options parsed(&options);
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
        std::string_view text = line;
        if (number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
        text = trim(before_comment(text));
        if (text.empty()) continue;
        const std::string where = " (line " + std::to_string(number) + " of the config file '" + path + "')";
        const auto equals = text.find('=');
        if (equals == std::string_view::npos)
            throw UsageError("expected `key = value`, got '" + std::string(text) + "'" + where);
        const std::string key(trim(text.substr(0, equals)));
        const std::string value(trim(text.substr(equals + 1)));
        if (key.empty()) throw UsageError("a value without its key: '" + std::string(text) + "'" + where);
        if (!options.find_nothrow(key, /*approx=*/false)) throw UsageError("unknown key '" + key + "'" + where);
        if (value.empty() && !allows_empty_value(key))
            throw UsageError("`" + key + " =` has no value: give one, or leave the line out" + where);
        po::option option(key, {value});
        option.original_tokens = {key, value};
        parsed.options.push_back(std::move(option));
    }
    return parsed;
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
