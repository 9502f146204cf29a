// The lineage of the best trial, as `hpo show` prints it (see print_lineage.hpp).
#include "print_lineage.hpp"

#include "hpo/exec/command_line.hpp"
#include "hpo/store/lineage.hpp"
#include "print_result.hpp"

namespace hpo::cli {

std::string lineage_text(const RunOptions& options, const std::vector<Trial>& trials, const Trial* best) {
    if (!best) return {};
    // Decided by name: the strategy's options type need not be known here.
    const bool pbt = strategy_name(options.strategy) == "pbt";
    if (!pbt && !best->parent) return {};
    const Lineage lineage = lineage_of(trials, best->id);
    std::string text = pbt ? "Schedule of the best member (member " + std::to_string(best->member) + "): round by round\n"
                           : "Lineage of the best trial (trial " + std::to_string(best->id) +
                                 "): generation by generation\n";
    if (lineage.missing_parent) {
        text += "  (trial " + std::to_string(lineage.trials.front().id) + " started from trial " +
                std::to_string(*lineage.missing_parent) + ", which the checkpoint does not hold)\n";
    }
    // pbt: the rounds the best model was trained, its place in the lineage (a member's own round
    // count skips its failed rounds, and an exploit takes over another member's rounds); genetic:
    // the generation each ancestor was made in (an elite's checkpoint serves several).
    for (std::size_t i = 0; i < lineage.trials.size(); ++i) {
        const Trial& trial = lineage.trials[i];
        text += pbt ? "  round " + std::to_string(i) : "  generation " + std::to_string(trial.generation);
        text += ": trial " + std::to_string(trial.id);
        if (pbt) text += ", member " + std::to_string(trial.member);
        text += ", FoM " + fom_text(trial.fom);
        if (!trial.ok()) text += " (" + std::string(to_string(trial.status)) + ")";
        text += ", " + shell_join(hyperparameter_args(options.space, trial.values, options.arg_style)) + "\n";
    }
    return text;
}

}  // namespace hpo::cli
