// The per-deme logs (see deme_logs.hpp).
#include "deme_logs.hpp"

#include "log_text.hpp"

#include <cmath>
#include <ctime>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>

#include "hpo/exec/command_line.hpp"

namespace hpo {

std::filesystem::path deme_log_path(const std::string& log_fn, int deme) {
    const std::filesystem::path log(log_fn);
    return log.parent_path() / ("Deme" + std::to_string(deme + 1) + "_" + log.filename().string());
}

std::string deme_workers_text(const WorkerLayout& layout, int deme) {
    std::map<std::string, std::vector<std::size_t>> by_node;
    for (std::size_t w : layout.workers_of_deme(deme)) by_node[layout.node_of_worker[w]].push_back(w);
    std::string text;
    for (const auto& [node, workers] : by_node) {
        text += " " + node + "[";
        for (std::size_t i = 0; i < workers.size(); ++i) text += (i ? "," : "") + std::to_string(workers[i]);
        text += "]";
    }
    return text;
}

void DemeLogs::on_start(const Strategy& strategy, const WorkerLayout& layout) {
    const int demes = strategy.num_demes();
    if (options_.log_fn.empty() || demes < 2) return;
    logs_.resize(static_cast<std::size_t>(demes));
    for (int deme = 0; deme < demes; ++deme) {
        const auto path = deme_log_path(options_.log_fn, deme);
        std::ofstream& log = logs_[static_cast<std::size_t>(deme)];
        log.open(path, std::ios::out | (resuming_ ? std::ios::app : std::ios::trunc));
        if (!log) throw std::runtime_error("cannot write the deme log file '" + path.string() + "'");
        log << (resuming_ ? "# hpo deme log, resumed from the checkpoint\nresumed: " : "# hpo deme log\nstarted: ")
            << timestamp() << "\ndeme " << deme << " of " << demes << " (the run's log: " << options_.log_fn
            << "; file names count demes from 1): " << strategy_name(options_.strategy) << " ("
            << describe_options(options_.strategy, OptionStyle::keywords) << " seed=" << options_.seed
            << "), workers:" << deme_workers_text(layout, deme) << "\n"
            << std::flush;
    }
}

void DemeLogs::hold(int deme, const std::string& line) {
    if (deme < 0 || static_cast<std::size_t>(deme) >= logs_.size()) return;
    held_.resize(logs_.size());
    held_[static_cast<std::size_t>(deme)] += line;
}

void DemeLogs::write_held() {
    for (std::size_t deme = 0; deme < held_.size(); ++deme) {
        if (held_[deme].empty()) continue;
        logs_[deme] << held_[deme] << std::flush;
        held_[deme].clear();
    }
}

void DemeLogs::on_trial(const Trial& trial) {
    if (trial.deme >= 0 && static_cast<std::size_t>(trial.deme) < logs_.size()) {
        logs_[static_cast<std::size_t>(trial.deme)]
            << "trial " << trial.id << " (generation " << trial.generation << "): FoM " << fom_text(trial.fom) << " "
            << to_string(trial.status) << " "
            << shell_join(hyperparameter_args(options_.space, trial.values, options_.arg_style)) << "\n";
    }
    write_held();
}

void DemeLogs::on_generation_end(const GenerationSummary& summary) {
    for (const auto& deme : summary.demes) {
        std::ostringstream line;
        line << "generation " << summary.generation << ": best " << fom_text(deme.best_fom) << ", average "
             << fom_text(deme.mean_fom) << ", " << deme.evaluated << " evaluated, " << deme.failed << " failed"
             << (deme.pruned ? ", " + std::to_string(deme.pruned) + " pruned" : "") << "\n";
        hold(deme.deme, line.str());
    }
}

void DemeLogs::on_migration(const Migration& migration) {
    const std::string after = "migration after generation " + std::to_string(migration.generation);
    const std::string what = "trial " + std::to_string(migration.individual) + " (FoM " + fom_text(migration.fom) + ")\n";
    hold(migration.from_deme, after + ": out to deme " + std::to_string(migration.to_deme) + ", " + what);
    hold(migration.to_deme, after + ": in from deme " + std::to_string(migration.from_deme) + ", " + what);
}

}  // namespace hpo
