// The saved state of Bayesian optimization: everything the model is rebuilt from, exactly.
//
// The results are stored in the order told (the model depends on it), with the hyperparameters
// and the number of results their factor was first built from, so that a loaded strategy
// rebuilds the same factor bit for bit; then the generator, the counters and the pending points.
#include <cmath>
#include <set>
#include <string>

#include "hpo/strategy/bayes.hpp"
#include "state_text.hpp"

namespace hpo {
namespace {

constexpr int state_version = 1;
constexpr std::uint64_t max_design_index = std::uint64_t{1} << 62;

}  // namespace

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
    for (const auto& o : observations_) {
        out.line("observation") << o.id;
        if (o.ok) out << "ok" << o.loss;
        else out << "failed";
        out << o.values;
    }
    out.pending_points(pending_);
    return out.finish();
}

void BayesStrategy::load_state(std::string_view state) {
    detail::StateReader in(state, name(), state_version);
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
    if (fit.base > observations.size())
        in.fail("the model was fitted to " + std::to_string(fit.base) + " results, the state has " +
                std::to_string(observations.size()));

    std::map<TrialId, Point> pending = in.pending_points(space_, next_id);
    for (const auto& [id, values] : pending)
        if (ids.count(id)) in.fail("trial " + std::to_string(id) + " is both told and pending");
    in.finish();

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
