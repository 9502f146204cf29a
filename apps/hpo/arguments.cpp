// Splitting `hpo` arguments into options, positional words and the kernel command after `--`.
#include "arguments.hpp"

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

}  // namespace

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
