// The rules for continuing a checkpoint (see resume_check.hpp).
#include "resume_check.hpp"

#include <stdexcept>


namespace hpo {

namespace {

std::string space_text(const SearchSpace& space) {
    std::string text;
    for (const auto& parameter : space) text += (text.empty() ? "" : ", ") + parameter.describe();
    return text;
}

std::string command_text(const std::vector<std::string>& command) {
    std::string text;
    for (const auto& word : command) text += (text.empty() ? "" : " ") + word;
    return text;
}

void refuse(const std::string& path, const std::string& what, const std::string& stored, const std::string& given) {
    throw std::invalid_argument("cannot resume '" + path + "': its " + what + " is `" + stored + "`, this run's is `" +
                                given + "`; use --force to start a new run in its place");
}

}  // namespace

void check_resumable(const RunOptions& stored, const RunOptions& given, const std::string& path) {
    if (!(stored.space == given.space)) refuse(path, "search space", space_text(stored.space), space_text(given.space));
    if (stored.kernel.command != given.kernel.command) {
        refuse(path, "kernel command", command_text(stored.kernel.command), command_text(given.kernel.command));
    }
    if (stored.arg_style != given.arg_style) {
        refuse(path, "argument style", std::string(to_string(stored.arg_style)), std::string(to_string(given.arg_style)));
    }
    if (stored.kernel.fom_prefix != given.kernel.fom_prefix) {
        refuse(path, "FoM prefix", stored.kernel.fom_prefix, given.kernel.fom_prefix);
    }
    if (stored.maximize != given.maximize) {
        refuse(path, "direction", stored.maximize ? "maximize" : "minimize", given.maximize ? "maximize" : "minimize");
    }
    const auto strategy_text = [](const StrategyConfig& strategy) {
        return std::string(strategy_name(strategy)) + " (" + describe_options(strategy, OptionStyle::keywords, false) + ")";
    };
    const std::string stored_strategy = strategy_text(stored.strategy);
    const std::string given_strategy = strategy_text(given.strategy);
    if (stored_strategy != given_strategy) refuse(path, "strategy", stored_strategy, given_strategy);
    if (stored.seed != given.seed) refuse(path, "seed", std::to_string(stored.seed), std::to_string(given.seed));
    // The trials to come start from copies of the directories under the stored root.
    if (stored.kernel.checkpoint_root != given.kernel.checkpoint_root) {
        const auto shown = [](const std::string& root) { return root.empty() ? std::string("none") : root; };
        refuse(path, "checkpoint directories' root (--checkpoint-root)", shown(stored.kernel.checkpoint_root),
               shown(given.kernel.checkpoint_root));
    }
    // The pruning rule decides which trials run to their end: part of the run, as the strategy is.
    if (!(stored.prune == given.prune)) {
        refuse(path, "pruning", stored.prune.text(OptionStyle::keywords), given.prune.text(OptionStyle::keywords));
    }
    // Confirmation may be raised (more configurations, more repeats), not lowered: repeats already
    // proposed would otherwise be owed to a confirmation that no longer wants them.
    if (given.confirm.confirm_top < stored.confirm.confirm_top ||
        (stored.confirm.enabled() && given.confirm.confirm_repeats < stored.confirm.confirm_repeats)) {
        throw std::invalid_argument("cannot resume '" + path + "': its confirmation is `" +
                                    stored.confirm.text(OptionStyle::command_line) + "`, this run's is `" +
                                    given.confirm.text(OptionStyle::command_line) +
                                    "`; a resume may raise --confirm-top and --confirm-repeats, not lower them");
    }
}

}  // namespace hpo
