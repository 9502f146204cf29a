// The encoding of a space for the GP, and the acquisition search: quasi-random candidates, local
// refinement, a discrete neighbourhood search and the rule against proposing a seen point.
#include "bayes_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "draw.hpp"
#include "hpo/strategy/acquisition.hpp"
#include "lbfgsb.hpp"
#include "sobol.hpp"

namespace hpo::detail {
namespace {

// The confidence bound's width in posterior standard deviations (the losses are standardized).
constexpr double ucb_kappa = 2.0;
// Improvements smaller than this (standardized units) are not worth an evaluation: without the
// margin the search can spend its budget polishing a local optimum by ever smaller steps.
constexpr double ei_margin = 0.001;
// The posterior variance never goes below this (standardized units): log EI stays finite at
// points already evaluated, and their gradient defined.
constexpr double variance_floor = 1e-10;

// Perturbations of the best results find the narrow valleys that a space-filling set misses
// (SearchEffort::perturbations_per_incumbent of them, at these scales in turn).
constexpr double perturbation_sd[] = {0.005, 0.03, 0.1, 0.3};

constexpr int polish_rounds = 4;

constexpr std::size_t unseen_draws = 2048;
constexpr std::uint64_t enumeration_limit = 1u << 16;

struct Scored {
    std::vector<double> unit;
    double value;
};

gp::AcquisitionValue acquisition(const SearchProblem& p, double mean, double variance) {
    const double sd = std::sqrt(std::max(variance, variance_floor));
    return p.acquisition == Acquisition::ei ? gp::log_expected_improvement(mean, sd, p.best - ei_margin)
                                            : gp::upper_confidence_bound(mean, sd, ucb_kappa);
}

// Acquisition values of unit points, given snapped (every one is a point that can be proposed).
std::vector<double> score(const SearchProblem& p, std::span<const double> units) {
    const std::size_t d = p.encoding.dimension();
    std::vector<double> inputs(units.size());
    for (std::size_t k = 0; k < units.size() / d; ++k)
        p.encoding.encode_unit(units.subspan(k * d, d), std::span<double>(inputs).subspan(k * d, d));
    const std::vector<gp::Prediction> predictions = p.model.predict_many(inputs);
    std::vector<double> values(predictions.size());
    for (std::size_t k = 0; k < predictions.size(); ++k)
        values[k] = acquisition(p, predictions[k].mean, predictions[k].variance).value;
    return values;
}

double score_one(const SearchProblem& p, const std::vector<double>& unit) { return score(p, unit).front(); }

void add_scored(const SearchProblem& p, const std::vector<double>& units, std::vector<Scored>& out) {
    const std::size_t d = p.encoding.dimension();
    const std::vector<double> values = score(p, units);
    for (std::size_t k = 0; k < values.size(); ++k)
        out.push_back({std::vector<double>(units.begin() + static_cast<std::ptrdiff_t>(k * d),
                                           units.begin() + static_cast<std::ptrdiff_t>((k + 1) * d)),
                       values[k]});
}

// Candidates: the Sobol set under a fresh shift, and Gaussian perturbations of the incumbents at
// several scales.
std::vector<double> candidates(const SearchProblem& p, std::span<const std::uint64_t> sobol_words,
                               std::mt19937_64& rng) {
    const std::size_t d = p.encoding.dimension();
    std::vector<std::uint64_t> shift(d);
    for (auto& word : shift) word = rng();
    std::vector<double> units(sobol_words.size());
    SobolSequence::shifted(sobol_words, shift, units);
    for (const auto& incumbent : p.incumbents)
        for (std::size_t k = 0; k < p.effort.perturbations_per_incumbent; ++k) {
            const double sd = perturbation_sd[k % std::size(perturbation_sd)];
            for (std::size_t j = 0; j < d; ++j)
                units.push_back(std::clamp(incumbent[j] + sd * standard_normal(rng), 0.0, 1.0));
        }
    for (std::size_t k = 0; k < units.size(); k += d) p.encoding.snap(std::span<double>(units).subspan(k, d));
    return units;
}

// Bounded L-BFGS on the acquisition over the ranges (integers relaxed), the choices held.
Scored refine(const SearchProblem& p, const Scored& start) {
    const std::size_t d = p.encoding.dimension();
    std::vector<std::size_t> free;
    for (std::size_t i = 0; i < d; ++i)
        if (!p.encoding.choice(i)) free.push_back(i);
    if (free.empty()) return start;
    std::vector<double> unit = start.unit, input(d), d_mean(d), d_variance(d);
    const Objective objective = [&](const std::vector<double>& x, std::vector<double>& gradient) {
        for (std::size_t k = 0; k < free.size(); ++k) unit[free[k]] = x[k];
        p.encoding.encode_unit(unit, input);
        const gp::Prediction pr = p.model.predict(input, d_mean, d_variance);
        const gp::AcquisitionValue a = acquisition(p, pr.mean, pr.variance);
        const bool floored = pr.variance <= variance_floor;
        const double sd = std::sqrt(std::max(pr.variance, variance_floor));
        for (std::size_t k = 0; k < free.size(); ++k) {
            const std::size_t i = free[k];
            const double d_sd = floored ? 0.0 : d_variance[i] / (2.0 * sd);
            gradient[k] = -(a.d_mean * d_mean[i] + a.d_sd * d_sd);
        }
        return -a.value;
    };
    std::vector<double> x0(free.size()), lower(free.size(), 0.0), upper(free.size(), 1.0);
    for (std::size_t k = 0; k < free.size(); ++k) x0[k] = start.unit[free[k]];
    LbfgsbOptions options;
    options.max_iterations = p.effort.local_iterations;
    options.max_evaluations = 3 * p.effort.local_iterations;
    options.gradient_tolerance = 1e-7;
    const LbfgsbResult r = minimize_bounded(objective, x0, lower, upper, options);
    Scored out{start.unit, 0.0};
    for (std::size_t k = 0; k < free.size(); ++k) out.unit[free[k]] = r.x[k];
    p.encoding.snap(out.unit);
    out.value = score_one(p, out.unit);
    return out.value > start.value ? out : start;
}

// Hill climbing over the discrete coordinates: the next and previous integer, every other option.
Scored polish(const SearchProblem& p, Scored point, std::vector<Scored>& visited) {
    const std::size_t d = p.encoding.dimension();
    for (int round = 0; round < polish_rounds; ++round) {
        std::vector<double> units;
        for (std::size_t i = 0; i < d; ++i) {
            if (!p.encoding.discrete(i)) continue;
            const Parameter& param = p.space[i];
            const double current = param.from_unit(point.unit[i]);
            std::vector<double> values;
            if (p.encoding.choice(i)) {
                for (std::size_t o = 0; o < param.cardinality(); ++o)
                    if (static_cast<double>(o) != current) values.push_back(static_cast<double>(o));
            } else {
                if (current - 1 >= param.lo()) values.push_back(current - 1);
                if (current + 1 <= param.hi()) values.push_back(current + 1);
            }
            for (double v : values) {
                std::vector<double> neighbour = point.unit;
                neighbour[i] = param.to_unit(v);
                units.insert(units.end(), neighbour.begin(), neighbour.end());
            }
        }
        if (units.empty()) break;
        const std::size_t first = visited.size();
        add_scored(p, units, visited);
        auto best = std::max_element(visited.begin() + static_cast<std::ptrdiff_t>(first), visited.end(),
                                     [](const Scored& a, const Scored& b) { return a.value < b.value; });
        if (!(best->value > point.value)) break;
        point = *best;
    }
    return point;
}

// Every point of a small all-discrete space, as unit points.
std::vector<double> enumerate(const SearchSpace& space) {
    const std::size_t d = space.size();
    std::vector<double> units;
    std::vector<std::size_t> digit(d, 0);
    for (;;) {
        for (std::size_t i = 0; i < d; ++i) {
            const Parameter& param = space[i];
            const double native = param.kind() == ParameterKind::choice ? static_cast<double>(digit[i])
                                                                        : param.lo() + static_cast<double>(digit[i]);
            units.push_back(param.to_unit(native));
        }
        std::size_t i = d;
        while (i-- > 0) {
            if (++digit[i] < space[i].cardinality()) break;
            digit[i] = 0;
        }
        if (i == static_cast<std::size_t>(-1)) return units;
    }
}

// When every candidate is a seen point of an all-discrete space: the best unseen point, among all
// of them if the space is small, else among random draws.
std::vector<double> unseen_candidates(const SearchProblem& p, std::mt19937_64& rng) {
    const std::size_t d = p.encoding.dimension();
    std::vector<double> pool;
    if (p.encoding.all_discrete() && p.encoding.discrete_points() <= enumeration_limit) {
        pool = enumerate(p.space);
    } else {
        for (std::size_t k = 0; k < unseen_draws; ++k) {
            const std::vector<double> u = p.space.to_unit(p.space.random_point(rng));
            pool.insert(pool.end(), u.begin(), u.end());
        }
    }
    std::vector<double> unseen;
    for (std::size_t k = 0; k < pool.size(); k += d) {
        std::vector<double> u(pool.begin() + static_cast<std::ptrdiff_t>(k),
                              pool.begin() + static_cast<std::ptrdiff_t>(k + d));
        p.encoding.snap(u);
        if (!p.seen(p.space.from_unit(u))) unseen.insert(unseen.end(), u.begin(), u.end());
    }
    return unseen;
}

}  // namespace

BayesEncoding::BayesEncoding(const SearchSpace& space) : space_(&space) {
    for (const Parameter& param : space) {
        kinds_.push_back(param.kind() == ParameterKind::choice ? gp::InputKind::categorical
                                                               : gp::InputKind::continuous);
        cardinality_.push_back(param.cardinality());
        if (param.kind() == ParameterKind::float_range) {
            all_discrete_ = false;
        } else if (discrete_points_ > std::numeric_limits<std::uint64_t>::max() / param.cardinality()) {
            discrete_points_ = std::numeric_limits<std::uint64_t>::max();
        } else {
            discrete_points_ *= param.cardinality();
        }
    }
    if (!all_discrete_) discrete_points_ = std::numeric_limits<std::uint64_t>::max();
}

void BayesEncoding::encode(const Point& native, std::span<double> out) const {
    for (std::size_t i = 0; i < kinds_.size(); ++i)
        out[i] = choice(i) ? native[i] : (*space_)[i].to_unit(native[i]);
}

void BayesEncoding::snap(std::span<double> unit) const {
    for (std::size_t i = 0; i < kinds_.size(); ++i)
        if (discrete(i)) unit[i] = (*space_)[i].to_unit((*space_)[i].from_unit(unit[i]));
}

void BayesEncoding::encode_unit(std::span<const double> unit, std::span<double> out) const {
    for (std::size_t i = 0; i < kinds_.size(); ++i) out[i] = choice(i) ? (*space_)[i].from_unit(unit[i]) : unit[i];
}

std::vector<double> maximize_acquisition(const SearchProblem& p, std::span<const std::uint64_t> sobol_words,
                                         std::mt19937_64& rng) {
    std::vector<Scored> scored;
    add_scored(p, candidates(p, sobol_words, rng), scored);

    // The local searches start from the best few distinct candidates.
    std::vector<std::size_t> order(scored.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return scored[a].value > scored[b].value; });
    std::vector<std::size_t> starts;
    for (std::size_t k : order) {
        if (starts.size() == p.effort.local_starts) break;
        if (std::none_of(starts.begin(), starts.end(), [&](std::size_t s) { return scored[s].unit == scored[k].unit; }))
            starts.push_back(k);
    }
    std::vector<Scored> refined;
    for (std::size_t s : starts) refined.push_back(polish(p, refine(p, scored[s]), scored));
    scored.insert(scored.end(), refined.begin(), refined.end());

    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.value > b.value; });
    for (const Scored& s : scored)
        if (!p.seen(p.space.from_unit(s.unit))) return s.unit;
    if (p.unseen_remain) {
        const std::vector<double> unseen = unseen_candidates(p, rng);
        if (!unseen.empty()) {
            std::vector<Scored> pool;
            add_scored(p, unseen, pool);
            return std::max_element(pool.begin(), pool.end(),
                                    [](const Scored& a, const Scored& b) { return a.value < b.value; })
                ->unit;
        }
    }
    return scored.front().unit;
}

Point find_unseen(const SearchSpace& space, const std::function<bool(const Point&)>& seen, std::mt19937_64& rng) {
    for (std::size_t k = 0; k < 256; ++k) {
        Point point = space.random_point(rng);
        if (!seen(point)) return point;
    }
    const BayesEncoding encoding(space);
    if (!encoding.all_discrete() || encoding.discrete_points() > enumeration_limit) return {};
    const std::vector<double> units = enumerate(space);
    const std::size_t d = space.size();
    for (std::size_t k = 0; k < units.size(); k += d) {
        Point point = space.from_unit(std::vector<double>(units.begin() + static_cast<std::ptrdiff_t>(k),
                                                          units.begin() + static_cast<std::ptrdiff_t>(k + d)));
        if (!seen(point)) return point;
    }
    return {};
}

}  // namespace hpo::detail
