// Splitting `hpo run` arguments into hpo's options and the kernel command after `--`.
#include "arguments.hpp"

#include "exit_codes.hpp"

namespace hpo::cli {

namespace {

bool takes_value(const std::string& arg, const boost::program_options::options_description& options) {
    if (arg.size() <= 2 || arg.compare(0, 2, "--") != 0 || arg.find('=') != std::string::npos) return false;
    const auto* option = options.find_nothrow(arg.substr(2), /*approx=*/false);
    return option && option->semantic()->max_tokens() > 0;
}

}  // namespace

SplitArguments split_arguments(const std::vector<std::string>& args,
                               const boost::program_options::options_description& options) {
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
            split.options.push_back(arg + "=" + args[++i]);
            continue;
        }
        if (arg.empty() || arg[0] != '-' || arg == "-") {
            throw UsageError("unexpected argument '" + arg +
                             "': the kernel command goes after `--` (hpo run [OPTIONS] -- COMMAND [ARGS...])");
        }
        split.options.push_back(arg);
    }
    return split;
}

}  // namespace hpo::cli
