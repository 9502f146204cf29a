// Asynchronous successive halving (Li et al., MLSys 2020) without pausing: a trial reaching a
// rung goes on only if it is in the top 1/eta of the values recorded there so far, decided at
// once. Hyperband is several such ladders (brackets), each trial in one (hpo/prune/rungs.hpp).
#include <algorithm>
#include <map>
#include <vector>

#include "hpo/prune/rungs.hpp"
#include "pruners.hpp"
#include "trial_book.hpp"

namespace hpo::prune_detail {

namespace {

// One bracket: its first rung and, per rung, every value recorded there, sorted.
class Ladder {
public:
    Ladder(int first, int eta, int max_steps) : first_(first), eta_(eta), max_steps_(max_steps) {}

    int rung_of(int step) const { return rung_index(step, first_, eta_, max_steps_); }

    // Records `loss` at rung `rung`; true when it goes on. With n values there (this one
    // included), it goes on when fewer than max(1, floor(n / eta)) values are strictly better:
    // ties go on, and with fewer than eta values only a best-so-far goes on.
    bool record(int rung, double loss) {
        if (static_cast<std::size_t>(rung) >= rungs_.size()) rungs_.resize(rung + 1);
        std::vector<double>& values = rungs_[rung];
        const auto better = std::lower_bound(values.begin(), values.end(), loss);
        const auto strictly_better = static_cast<std::size_t>(better - values.begin());
        values.insert(better, loss);
        const std::size_t top = std::max<std::size_t>(1, values.size() / static_cast<std::size_t>(eta_));
        return strictly_better < top;
    }

    // Takes back one value recorded at `rung` (a trial that runs again).
    void remove(int rung, double loss) {
        std::vector<double>& values = rungs_[rung];
        const auto it = std::lower_bound(values.begin(), values.end(), loss);
        if (it != values.end() && *it == loss) values.erase(it);
    }

private:
    int first_;
    int eta_;
    int max_steps_;
    std::vector<std::vector<double>> rungs_;
};

class AshaPruner final : public Pruner {
public:
    AshaPruner(const PruneOptions& options, bool hyperband) : hyperband_(hyperband), cycle_(options) {
        const int brackets = hyperband ? hyperband_brackets(options) : 1;
        std::int64_t first = options.min_steps;
        for (int b = 0; b < brackets; ++b, first *= options.reduction_factor) {
            // The last Hyperband bracket's first "rung" is at or beyond max_steps: it has none.
            const int clamped = static_cast<int>(std::min<std::int64_t>(first, 2'147'483'647));
            ladders_.emplace_back(clamped, options.reduction_factor, options.max_steps);
        }
    }

    bool report(TrialId id, int step, double loss) override {
        TrialMark* mark = book_.advance(id, step);
        if (!mark) return book_.was_stopped(id);
        Ladder& ladder = ladders_[bracket(id)];
        const int rung = ladder.rung_of(step);
        if (rung < 0) return false;
        loss = normal_loss(loss);
        recorded_[id].emplace_back(rung, loss);
        if (ladder.record(rung, loss)) return false;
        mark->stopped = true;
        return true;
    }

    void finish(TrialId id, bool /*completed*/) override {
        book_.end(id);
        recorded_.erase(id);  // its values stay at the rungs for good
    }

    void restart(TrialId id) override {
        book_.reset(id);
        const auto it = recorded_.find(id);
        if (it == recorded_.end()) return;
        for (const auto& [rung, loss] : it->second) ladders_[bracket(id)].remove(rung, loss);
        recorded_.erase(it);
    }

    bool wants(TrialId id, int step) const override {
        return book_.live(id) && ladders_[bracket(id)].rung_of(step) >= 0;
    }

private:
    std::size_t bracket(TrialId id) const {
        return hyperband_ ? static_cast<std::size_t>(cycle_.bracket(id)) : 0;
    }

    bool hyperband_;
    HyperbandCycle cycle_;  // unused by plain ASHA
    std::vector<Ladder> ladders_;
    std::map<TrialId, std::vector<std::pair<int, double>>> recorded_;  // live trials' rung values
    TrialBook book_;
};

}  // namespace

std::unique_ptr<Pruner> make_asha(const PruneOptions& options) { return std::make_unique<AshaPruner>(options, false); }

std::unique_ptr<Pruner> make_hyperband(const PruneOptions& options) {
    return std::make_unique<AshaPruner>(options, true);
}

}  // namespace hpo::prune_detail
