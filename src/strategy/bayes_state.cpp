// The saved state of Bayesian optimization: what the trial history cannot rebuild.
//
// The model is rebuilt from every result in the order told. Those results are the trials a
// checkpoint stores beside the state (its rows are in the order results arrived, the order they
// were told), so the state holds only their number and a hash of them: restore() rebuilds them from
// the history and refuses one that is not the history the state was saved with. Then come the
// hyperparameters and the number of results their factor was first built from, so that the factor
// is rebuilt bit for bit, the generator, the counters and the pending points.
//
// Version 1 states (hpo before the results were left to the trial table) hold every result, one
// `observation` line each, and no `told` line; they still load, and need no history.
#include <bit>
#include <cmath>
#include <set>
#include <string>

#include "hpo/strategy/bayes.hpp"
#include "state_text.hpp"

namespace hpo {
namespace {

constexpr int state_version = 2;
constexpr int version_with_results = 1;
constexpr std::uint64_t max_design_index = std::uint64_t{1} << 62;

int version_of(std::string_view state) {
    return state.starts_with("hpo-strategy bayes 1\n") ? version_with_results : state_version;
}

// FNV-1a 64 over little-endian bytes, whatever the host: a state moves between machines.
class Fnv1a {
public:
    void byte(unsigned char b) { hash_ = (hash_ ^ b) * 1099511628211ULL; }
    void word(std::uint64_t w) {
        for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(w >> (8 * i)));
    }
    void real(double x) { word(std::bit_cast<std::uint64_t>(x)); }
    std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 14695981039346656037ULL;
};

[[noreturn]] void refuse_history(const std::string& problem) {
    throw std::invalid_argument("bayes state: " + problem);
}

}  // namespace

std::uint64_t BayesStrategy::results_hash(const std::vector<Observation>& observations) {
    Fnv1a h;
    for (const auto& o : observations) {
        h.word(o.id);
        h.byte(o.ok ? 1 : 0);
        h.real(o.loss);
        h.word(o.values.size());
        for (double v : o.values) h.real(v);
    }
    return h.value();
}

std::string BayesStrategy::save_state() const {
    detail::StateWriter out(name(), state_version);
    out.dimension(space_);
    out.line("next-id") << next_id_;
    out.line("rng") << rng_;
    out.line("design") << design_index_;
    out.line("pace") << pace_.total_seconds << pace_.count;
    if (fit_.done)
        out.line("fit") << 1u << fit_.base << fit_.hyper.length_scales << fit_.hyper.signal_variance
                        << fit_.hyper.noise_variance;
    else
        out.line("fit") << 0u;
    out.line("told") << observations_.size() << results_hash(observations_);
    out.pending_points(pending_);
    return out.finish();
}

// A version 2 state with results told needs them: restore() with the history.
void BayesStrategy::load_state(std::string_view state) { restore(state, {}); }

void BayesStrategy::restore(std::string_view state, std::span<const Trial> history) {
    const int version = version_of(state);
    detail::StateReader in(state, name(), version);
    in.dimension(space_);
    const TrialId next_id = in.proposals_within(options_.evals);
    in.line("rng");
    std::mt19937_64 rng;
    in.rng(rng);
    in.line("design");
    const std::uint64_t design_index = in.unsigned_number(0, max_design_index);

    Pace pace;  // absent from the states of hpo before lean proposals: no pace known yet
    if (in.next_key() == "pace") {
        in.line("pace");
        pace.total_seconds = in.real();
        if (!(pace.total_seconds >= 0) || !std::isfinite(pace.total_seconds))
            in.fail("the total evaluation time must be a finite number >= 0");
        pace.count = static_cast<std::size_t>(in.unsigned_number(0, next_id));
    }

    in.line("fit");
    Fit fit;
    fit.done = in.flag();
    if (fit.done) {
        fit.base = static_cast<std::size_t>(in.unsigned_number(1, next_id));
        auto positive = [&](const char* what) {
            const double v = in.real();
            if (!(v > 0) || !std::isfinite(v)) in.fail(std::string(what) + " must be a finite number > 0");
            return v;
        };
        for (std::size_t i = 0; i < space_.size(); ++i) fit.hyper.length_scales.push_back(positive("a length scale"));
        fit.hyper.signal_variance = positive("the signal variance");
        fit.hyper.noise_variance = positive("the noise variance");
    }

    std::vector<Observation> observations;
    std::set<TrialId> ids;
    std::size_t told = 0;
    std::uint64_t told_hash = 0;
    if (version == version_with_results) {
        while (in.next_key() == "observation") {
            in.line("observation");
            Observation o;
            o.id = in.unsigned_number();
            if (o.id >= next_id)
                in.fail("result of trial " + std::to_string(o.id) + ", which was never proposed (next-id is " +
                        std::to_string(next_id) + ")");
            if (!ids.insert(o.id).second) in.fail("trial " + std::to_string(o.id) + " is told twice");
            const std::string_view status = in.word();
            if (status == "ok") {
                o.ok = true;
                o.loss = in.real();
                if (!std::isfinite(o.loss)) in.fail("the loss of an ok result must be finite");
            } else if (status != "failed") {
                in.fail("status '" + std::string(status) + "' is neither ok nor failed");
            }
            o.values = in.point(space_);
            observations.push_back(std::move(o));
        }
        told = observations.size();
    } else {
        in.line("told");
        told = static_cast<std::size_t>(in.unsigned_number(0, next_id));
        told_hash = in.unsigned_number();
    }
    if (fit.base > told)
        in.fail("the model was fitted to " + std::to_string(fit.base) + " results, the state has " +
                std::to_string(told));

    std::map<TrialId, Point> pending = in.pending_points(space_, next_id);
    for (const auto& [id, values] : pending)
        if (ids.count(id)) in.fail("trial " + std::to_string(id) + " is both told and pending");
    in.finish();

    // The text is sound; now the results it leaves to the history (checked last, so that a
    // malformed state is reported as such whatever history comes with it).
    if (version != version_with_results) {
        if (history.size() != told)
            refuse_history(std::to_string(told) + " results were told before it was saved, and it leaves them to the "
                           "trial history, which holds " + std::to_string(history.size()) +
                           (history.empty() ? " (restore it with the checkpoint's trials)" : ""));
        observations.reserve(history.size());
        for (const Trial& trial : history) observations.push_back(observation_of(trial, trial.values));
        if (results_hash(observations) != told_hash)
            refuse_history("the trials given are not the results it was saved with, in the order told "
                           "(another run's trials, or reordered)");
    }

    next_id_ = next_id;
    rng_ = rng;
    design_index_ = design_index;
    pace_ = pace;
    fit_ = std::move(fit);
    observations_ = std::move(observations);
    pending_ = std::move(pending);
    seen_.clear();
    for (const auto& o : observations_) seen_.insert(o.values);
    for (const auto& [id, values] : pending_) seen_.insert(values);
    forget_model();
}

}  // namespace hpo
