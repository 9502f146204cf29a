// The ask/tell interface every search strategy implements.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/strategy/search_settings.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// Generation boundaries and migrations, reported by population-based strategies for the log.
struct DemeSummary {
    int deme = 0;
    double best_fom = 0;  // NaN if the deme has no ok trial yet
    double mean_fom = 0;  // over the ok trials of the generation, NaN if none
    std::size_t evaluated = 0;
    std::size_t failed = 0;
    std::size_t pruned = 0;  // stopped early (--prune): neither ok nor failed
};

struct GenerationSummary {
    int generation = 0;
    std::vector<DemeSummary> demes;
    double global_best_fom = 0;  // NaN if none yet
};

struct Migration {
    int generation = 0;
    int from_deme = 0;
    int to_deme = 0;
    TrialId individual = 0;
    double fom = 0;
};

class StrategyObserver {
public:
    virtual ~StrategyObserver() = default;
    virtual void on_generation_end(const GenerationSummary&) {}
    virtual void on_migration(const Migration&) {}
};

class Strategy {
public:
    static constexpr int any_deme = -1;

    virtual ~Strategy() = default;

    virtual std::string_view name() const = 0;
    virtual int num_demes() const { return 1; }

    // Up to `max_count` new trials for `deme` (or any deme). Fewer, even none, when the strategy
    // has to wait for pending results (a generational barrier) or its budget is spent. Ids are
    // assigned here, in proposal order, starting at 0.
    virtual std::vector<Proposal> ask(std::size_t max_count, int deme = any_deme) = 0;

    // The result of a proposal, in any order, whatever its status.
    virtual void tell(const Trial& trial) = 0;

    // No proposal will ever come again; the run ends when every pending trial is told.
    virtual bool exhausted() const = 0;

    // How many evaluations the whole run is planned to take (for progress), 0 if unknown.
    virtual std::size_t planned_evaluations() const = 0;

    // How the strategy spends them, in words, for the run log (genetic: "4 demes of 5
    // individuals (3 elites), ..."); empty when the options say it all.
    virtual std::string plan() const { return {}; }

    // Everything the trial history cannot rebuild: generator state, populations, counters, and
    // the proposals asked but not yet told. Text, stored in the checkpoint as it is, beside the
    // trials (see restore()).
    virtual std::string save_state() const = 0;

    // On a strategy built with the same space and options: continue exactly where save_state
    // was. Throws std::invalid_argument with a clear message if the text is not a state of this
    // strategy (another strategy's, malformed, another space's dimension); the strategy is then
    // left as it was.
    virtual void load_state(std::string_view state) = 0;

    // load_state, given the trials told before the state was saved, in the order told (a
    // checkpoint's trial table, whose rows are in the order results arrived). A strategy may leave
    // out of its state what these hold and rebuild it from them (bayes: its results); by default
    // they are not needed. Throws as load_state does, also when the history is not the one the
    // state was saved with.
    virtual void restore(std::string_view state, std::span<const Trial> history) {
        (void)history;
        load_state(state);
    }

    // The proposals asked and not yet told, in id order (a restart evaluates them again).
    virtual std::vector<Proposal> pending() const = 0;

    // The told trials whose checkpoint directory a future proposal may still start from (its
    // `parent`), in any order. With --keep-checkpoints live the others' directories are removed
    // (except the best trial's and the pending proposals' parents'). None by default: a strategy
    // that never sets `parent` keeps no directory alive.
    virtual std::vector<TrialId> inheritable() const { return {}; }

    void set_observer(StrategyObserver* observer) { observer_ = observer; }

protected:
    StrategyObserver* observer() const { return observer_; }

private:
    StrategyObserver* observer_ = nullptr;
};

}  // namespace hpo
