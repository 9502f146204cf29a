// Splitting `hpo` arguments into options, positional words and the kernel command after `--`.
#include "arguments.hpp"

#include <algorithm>
#include <string_view>

#include "exit_codes.hpp"

namespace hpo::cli {

namespace {

bool is_long_option(const std::string& arg) { return arg.size() > 2 && arg.compare(0, 2, "--") == 0; }
bool is_short_option(const std::string& arg) { return arg.size() == 2 && arg[0] == '-' && arg[1] != '-'; }

// `--name` or `-n` (not `--name=value`) naming an option that takes a value.
bool takes_value(const std::string& arg, const boost::program_options::options_description& options) {
    const boost::program_options::option_description* option = nullptr;
    if (is_long_option(arg) && arg.find('=') == std::string::npos) {
        option = options.find_nothrow(arg.substr(2), /*approx=*/false);
    } else if (is_short_option(arg)) {
        option = options.find_nothrow(arg, /*approx=*/false);  // Boost names short options "-n"
    }
    return option && option->semantic()->max_tokens() > 0;
}

// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: the optimal string
// alignment distance, so that the common typo of two swapped letters counts as one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

// The long option closest to the unknown `name` (without dashes), or empty when none is close
// enough to be a likely typo.
std::string closest_option(const std::string& name, const boost::program_options::options_description& options) {
    const std::size_t allowed = name.size() >= 6 ? 2 : 1;
    std::string best;
    std::size_t best_distance = allowed + 1;
    for (const auto& option : options.options()) {
        const std::string& candidate = option->long_name();
        if (candidate.empty()) continue;
        const std::size_t distance = edit_distance(name, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

// `--name`, `--name=value` or `-n` that names no option. Reported here rather than by Boost:
// the value after an unknown `--name value` would otherwise be taken for a stray word and
// reported instead of the option ("unexpected argument '5'").
void reject_unknown_option(const std::string& arg, const boost::program_options::options_description& options) {
    if (is_long_option(arg)) {
        const std::string name = arg.substr(2, arg.find('=') - 2);
        if (options.find_nothrow(name, /*approx=*/false)) return;
        const std::string suggestion = closest_option(name, options);
        throw UsageError("unknown option --" + name +
                         (suggestion.empty() ? "" : " (did you mean --" + suggestion + "?)"));
    }
    if (is_short_option(arg) && !options.find_nothrow(arg, /*approx=*/false)) {
        throw UsageError("unknown option " + arg);
    }
}

[[noreturn]] void reject_empty_value(const std::string& name) {
    throw UsageError("--" + name + " needs a value, got an empty one");
}

}  // namespace

bool allows_empty_value(const std::string& name) { return name == "log" || name == "launch-args"; }

SplitArguments split_arguments(const std::vector<std::string>& args,
                               const boost::program_options::options_description& options, bool allow_positionals) {
    SplitArguments split;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            split.has_separator = true;
            split.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
            break;
        }
        // `--param --` is a missing value, not a value "--": leave it for Boost to report.
        if (takes_value(arg, options) && i + 1 < args.size() && args[i + 1] != "--") {
            const std::string name = is_short_option(arg) ? options.find(arg, false).long_name() : arg.substr(2);
            if (args[i + 1].empty() && !allows_empty_value(name)) reject_empty_value(name);
            // `-o-file` is Boost's sticky form of `-o -file`.
            split.options.push_back(is_short_option(arg) ? arg + args[++i] : arg + "=" + args[++i]);
            continue;
        }
        if (arg.empty() || arg[0] != '-' || arg == "-") {
            if (allow_positionals) {
                split.positionals.push_back(arg);
                continue;
            }
            throw UsageError("unexpected argument '" + arg +
                             "': the kernel command goes after `--` (hpo run [OPTIONS] -- COMMAND [ARGS...])");
        }
        reject_unknown_option(arg, options);
        if (is_long_option(arg) && arg.find('=') + 1 == arg.size() && !allows_empty_value(arg.substr(2, arg.size() - 3)))
            reject_empty_value(arg.substr(2, arg.size() - 3));
        split.options.push_back(arg);
    }
    return split;
}

std::string checkpoint_argument(const SplitArguments& split, const std::string& usage) {
    if (split.has_separator) throw UsageError("unexpected `--`: " + usage);
    if (split.positionals.empty()) throw UsageError("no checkpoint file given: " + usage);
    if (split.positionals.size() > 1) {
        throw UsageError("one checkpoint file, got '" + split.positionals[0] + "' and '" + split.positionals[1] +
                         "': " + usage);
    }
    return split.positionals.front();
}

boost::program_options::parsed_options parse_split_options(const SplitArguments& split,
                                                           const boost::program_options::options_description& options) {
    namespace po = boost::program_options;
    const auto style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
    return po::command_line_parser(split.options).options(options).style(style).run();
}

}  // namespace hpo::cli
