// What every pruner keeps of each trial: its last step, whether it was stopped or has ended, and
// the checks of the steps it reports (private to src/prune).
#pragma once

#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "hpo/trial.hpp"

namespace hpo::prune_detail {

// Lower is better; NaN and both infinities are the worst value there is.
inline double normal_loss(double loss) {
    return std::isfinite(loss) ? loss : std::numeric_limits<double>::infinity();
}

struct TrialMark {
    int last_step = 0;
    bool stopped = false;
    bool finished = false;
    bool live() const { return !stopped && !finished; }
};

class TrialBook {
public:
    // The trial's mark after checking that `step` may follow its previous one; nullptr when the
    // trial is no longer live (the caller answers with was_stopped()).
    TrialMark* advance(TrialId id, int step) {
        TrialMark& mark = marks_[id];
        if (!mark.live()) return nullptr;
        if (step < 1) throw std::invalid_argument("pruner: trial " + std::to_string(id) + " reported step " +
                                                  std::to_string(step) + " (steps count from 1)");
        if (step <= mark.last_step) {
            throw std::invalid_argument("pruner: trial " + std::to_string(id) + " reported step " +
                                        std::to_string(step) + " after step " + std::to_string(mark.last_step));
        }
        mark.last_step = step;
        return &mark;
    }
    bool was_stopped(TrialId id) const {
        const auto it = marks_.find(id);
        return it != marks_.end() && it->second.stopped;
    }
    bool live(TrialId id) const {
        const auto it = marks_.find(id);
        return it == marks_.end() || it->second.live();
    }
    // Forgets a trial that runs again; throws std::invalid_argument when it has finished.
    void reset(TrialId id) {
        const auto it = marks_.find(id);
        if (it == marks_.end()) return;
        if (it->second.finished) {
            throw std::invalid_argument("pruner: trial " + std::to_string(id) + " has ended and cannot run again");
        }
        marks_.erase(it);
    }
    // Marks the end; false when the trial had already ended (a second finish changes nothing).
    bool end(TrialId id) {
        TrialMark& mark = marks_[id];
        if (mark.finished) return false;
        mark.finished = true;
        return true;
    }

private:
    std::map<TrialId, TrialMark> marks_;
};

}  // namespace hpo::prune_detail
