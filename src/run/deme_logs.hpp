// The per-deme logs beside the run's log, as the seed wrote them (`Deme1_genetic.log`, ...): for a
// strategy of more than one deme, each deme's settings, its trials, its generations and its
// migrations, one file each.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hpo/config/run_options.hpp"
#include "hpo/dist/worker_layout.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

// `Deme<deme + 1>_<name of log_fn>` in log_fn's directory: the seed's names count from 1.
std::filesystem::path deme_log_path(const std::string& log_fn, int deme);

// The workers of `deme` by node: ` node-a[0,1] node-b[2]`.
std::string deme_workers_text(const WorkerLayout& layout, int deme);

class DemeLogs {
public:
    // Writes nothing when `options.log_fn` is empty; a resumed run appends to the files.
    DemeLogs(const RunOptions& options, bool resuming) : options_(options), resuming_(resuming) {}

    // Opens one file per deme if the strategy has more than one. Throws std::runtime_error naming
    // a file that cannot be written.
    void on_start(const Strategy& strategy, const WorkerLayout& layout);
    void on_trial(const Trial& trial);
    void on_generation_end(const GenerationSummary& summary);
    void on_migration(const Migration& migration);
    void on_finish() { write_held(); }
    ~DemeLogs() { write_held(); }

private:
    // The strategy ends a generation (and migrates) when it is told the generation's last trial,
    // before the reporter hears of that trial: the lines wait for it, so that each file reads in
    // order (the generation's trials, its summary, its migrations).
    void hold(int deme, const std::string& line);
    void write_held();

    const RunOptions& options_;
    bool resuming_;
    std::vector<std::ofstream> logs_;
    std::vector<std::string> held_;  // per deme
};

}  // namespace hpo
