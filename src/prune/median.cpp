// The median rule: stop a trial whose value at step s is worse than the median of the values at
// step s of the trials completed before it (after a warm-up, once enough trials completed).
#include <algorithm>
#include <map>
#include <vector>

#include "pruners.hpp"
#include "trial_book.hpp"

namespace hpo::prune_detail {

namespace {

class MedianPruner final : public Pruner {
public:
    explicit MedianPruner(const PruneOptions& options)
        : warmup_(options.median_warmup_steps), min_trials_(options.median_min_trials),
          interval_(options.median_interval) {}

    bool report(TrialId id, int step, double loss) override {
        TrialMark* mark = book_.advance(id, step);
        if (!mark) return book_.was_stopped(id);
        if (!decides_at(step)) return false;
        loss = normal_loss(loss);
        pending_[id].emplace_back(step, loss);
        if (completed_ < min_trials_) return false;
        const auto at = completed_at_.find(step);
        if (at == completed_at_.end() || at->second.empty()) return false;
        if (!(loss > median(at->second))) return false;
        mark->stopped = true;
        pending_.erase(id);
        return true;
    }

    void finish(TrialId id, bool completed) override {
        const bool stopped = book_.was_stopped(id);
        const bool first_end = book_.end(id);
        const auto values = pending_.find(id);
        if (first_end && completed && !stopped) {
            ++completed_;
            if (values != pending_.end()) {
                for (const auto& [step, loss] : values->second) {
                    std::vector<double>& sorted = completed_at_[step];
                    sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), loss), loss);
                }
            }
        }
        if (values != pending_.end()) pending_.erase(values);
    }

    void restart(TrialId id) override {
        book_.reset(id);
        pending_.erase(id);
    }

    bool wants(TrialId id, int step) const override { return decides_at(step) && book_.live(id); }

private:
    bool decides_at(int step) const { return step > warmup_ && step % interval_ == 0; }

    // The middle value, or the mean of the two middle values of an even count.
    static double median(const std::vector<double>& sorted) {
        const std::size_t n = sorted.size();
        if (n % 2 == 1) return sorted[n / 2];
        const double low = sorted[n / 2 - 1];
        const double high = sorted[n / 2];
        return high == low ? low : low / 2 + high / 2;  // inf stays inf; no overflow
    }

    int warmup_;
    int min_trials_;
    int interval_;
    int completed_ = 0;
    std::map<TrialId, std::vector<std::pair<int, double>>> pending_;  // live trials' values
    std::map<int, std::vector<double>> completed_at_;                 // step -> completed values, sorted
    TrialBook book_;
};

}  // namespace

std::unique_ptr<Pruner> make_median(const PruneOptions& options) { return std::make_unique<MedianPruner>(options); }

}  // namespace hpo::prune_detail
