// What a person sees of a run: progress lines on stderr, the text log (`--log`) and, beside it,
// one log per deme (deme_logs.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iosfwd>
#include <string>

#include "hpo/dist/coordinator.hpp"
#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"
#include "hpo/strategy/strategy.hpp"
#include "deme_logs.hpp"

namespace hpo {

class RunReporter final : public RunObserver, public StrategyObserver {
public:
    // `progress` may be null (no progress lines); an empty log file name means no log. A resumed
    // run appends to its log.
    RunReporter(const RunOptions& options, std::ostream* progress, bool resuming);

    void on_start(const Strategy& strategy, const WorkerLayout& layout) override;
    void on_trial(const Trial& trial, const RunResult& so_far) override;
    void on_worker_lost(const LostWorker& lost, const RunResult& so_far) override;
    void on_finish(const RunResult& result) override;
    void on_generation_end(const GenerationSummary& summary) override;
    void on_migration(const Migration& migration) override;

    // A trouble the run goes on despite (a checkpoint directory that cannot be removed): on
    // stderr (unless quiet) and in the log.
    void warning(const std::string& line);

private:
    double elapsed_seconds() const;
    void progress_line(const RunResult& so_far);
    void log_settings(const Strategy& strategy, const WorkerLayout& layout);

    const RunOptions& options_;
    std::ostream* progress_;
    bool resuming_;
    std::ofstream log_;
    DemeLogs deme_logs_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_progress_{};
    std::chrono::steady_clock::time_point generation_started_ = started_;
    std::size_t planned_ = 0;
    std::size_t failed_ = 0;
    std::size_t pruned_ = 0;  // stopped by --prune: counted apart from the failures
    std::size_t reported_ = SIZE_MAX;  // trials counted by the last progress line
};

}  // namespace hpo
