// The genetic strategy's breeding: generation 0, tournament, recombination of the fitter half, and
// mutation by steps drawn from the fitter half's covariance (bench/README.md: the evidence).
#include "genetic_breeding.hpp"

#include <algorithm>
#include <cmath>

#include "draw.hpp"
#include "genetic_operators.hpp"
#include "sobol.hpp"

namespace hpo::detail {
namespace {

constexpr std::size_t tournament_size = 3;
constexpr double step_scale = 0.85;     // of the fitter half's spread: a little inside it
constexpr double min_sigma = 0.02;      // unit widths: a converged deme still moves
constexpr double max_sigma = 0.5;
constexpr double choice_share = 0.25;   // a choice gene changes with mutation_rate x this

double reflect(double unit) {
    unit = std::fmod(std::fabs(unit), 2.0);
    return unit > 1.0 ? 2.0 - unit : unit;
}

std::vector<double> unit_of(const SearchSpace& space, const Point& genes) {
    std::vector<double> u(space.size());
    for (std::size_t i = 0; i < space.size(); ++i) u[i] = space[i].to_unit(genes[i]);
    return u;
}

// The fitter half of the ranked candidates (at least two, when there are two).
std::size_t fitter_half(std::size_t count) { return std::min(count, std::max<std::size_t>(2, (count + 1) / 2)); }

// Recombination weights of the fitter half, decreasing with the rank (as in CMA-ES), summing to 1.
std::vector<double> weights(std::size_t n) {
    std::vector<double> w(n);
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r) sum += (w[r] = std::log(static_cast<double>(n) + 0.5) - std::log(r + 1.0));
    for (double& x : w) x /= sum;
    return w;
}

// Weighted intermediate recombination: the numeric genes are the weighted mean of the fitter
// half (in the unit form, so log parameters average on their log scale, integers round), the
// choice genes those of `parent`.
Point recombine(const SearchSpace& space, std::span<const Point* const> ranked, const Point& parent) {
    const std::size_t n = fitter_half(ranked.size());
    const std::vector<double> w = weights(n);
    Point child = parent;
    for (std::size_t i = 0; i < space.size(); ++i) {
        if (space[i].kind() == ParameterKind::choice) continue;
        double mean = 0;
        for (std::size_t r = 0; r < n; ++r) mean += w[r] * space[i].to_unit((*ranked[r])[i]);
        child[i] = space[i].from_unit(mean);
    }
    return child;
}

}  // namespace

std::vector<double> step_factor(const SearchSpace& space, std::span<const Point* const> ranked) {
    const std::size_t d = space.size(), n = fitter_half(ranked.size());
    std::vector<std::vector<double>> units;
    for (const Point* p : ranked) units.push_back(unit_of(space, *p));
    std::vector<double> centre(d, 0.0);
    for (const auto& u : units)
        for (std::size_t i = 0; i < d; ++i) centre[i] += u[i] / static_cast<double>(units.size());
    const std::vector<double> w = weights(n);
    std::vector<double> c(d * d, 0.0);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t i = 0; i < d; ++i)
            for (std::size_t j = 0; j <= i; ++j) c[i * d + j] += w[r] * (units[r][i] - centre[i]) * (units[r][j] - centre[j]);
    // A gene's variance beyond max_sigma² scales its row and column down together (D C D, D
    // diagonal): capping the diagonal alone could leave a matrix that is not positive definite,
    // whose factor then overflows (NaN steps) in many dimensions.
    std::vector<double> scale(d, 1.0);
    for (std::size_t i = 0; i < d; ++i) {
        const bool choice = space[i].kind() == ParameterKind::choice;
        for (std::size_t j = 0; j <= i; ++j)
            if (choice || space[j].kind() == ParameterKind::choice) c[i * d + j] = 0;
        c[i * d + i] += min_sigma * min_sigma;
        if (c[i * d + i] > max_sigma * max_sigma) scale[i] = max_sigma / std::sqrt(c[i * d + i]);
    }
    for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j <= i; ++j) c[i * d + j] *= scale[i] * scale[j];
    std::vector<double> l(d * d, 0.0);  // Cholesky; a pivot lost to rounding is kept positive
    for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j <= i; ++j) {
            double sum = c[i * d + j];
            for (std::size_t m = 0; m < j; ++m) sum -= l[i * d + m] * l[j * d + m];
            l[i * d + j] = i == j ? std::sqrt(std::max(sum, min_sigma * min_sigma * 1e-4)) : sum / l[j * d + j];
        }
    return l;
}

std::vector<std::vector<Point>> initial_populations(const SearchSpace& space, const Point& initial,
                                                    std::size_t demes, std::size_t pop_size,
                                                    std::mt19937_64& rng, std::vector<std::uint64_t>* shift_out) {
    std::vector<std::vector<Point>> populations(demes);
    const std::size_t d = space.size();
    std::optional<SobolSequence> sequence;
    std::vector<std::uint64_t> shift;
    if (d >= 1 && d <= SobolSequence::max_dimension()) {
        sequence.emplace(d);
        shift = sequence->draw_shift(rng);
    }
    std::vector<double> unit(d);
    std::uint64_t index = 0;
    for (std::size_t i = 0; i < pop_size; ++i) {
        for (std::size_t k = 0; k < demes; ++k) {
            if (i == 0 && k == 0) {
                populations[k].push_back(initial);
            } else if (sequence) {
                sequence->point(index++, shift, unit);
                populations[k].push_back(space.from_unit(unit));
            } else {
                populations[k].push_back(space.random_point(rng));
            }
        }
    }
    if (shift_out) *shift_out = shift;
    return populations;
}

Point space_filling_point(const SearchSpace& space, std::span<const std::uint64_t> shift, std::uint64_t index,
                          std::mt19937_64& rng) {
    if (shift.empty()) return space.random_point(rng);
    const SobolSequence sequence(space.size());
    std::vector<double> unit(space.size());
    sequence.point(index, shift, unit);
    return space.from_unit(unit);
}

namespace {
// Each gene's step size from the factor's rows (a choice gene's: 0); without a factor (fewer
// than 2 candidates), max_sigma for every gene.
std::vector<double> sizes_of(const SearchSpace& space, const std::vector<double>& l) {
    const std::size_t d = space.size();
    if (l.empty()) return std::vector<double>(d, max_sigma);
    std::vector<double> sigma(d);
    for (std::size_t i = 0; i < d; ++i) {
        double variance = 0;
        for (std::size_t j = 0; j <= i; ++j) variance += l[i * d + j] * l[i * d + j];
        sigma[i] = space[i].kind() == ParameterKind::choice ? 0 : step_scale * std::sqrt(variance);
    }
    return sigma;
}
}  // namespace

std::vector<double> step_sizes(const SearchSpace& space, std::span<const Point* const> ranked) {
    return sizes_of(space, step_distribution(space, ranked).factor);
}

StepDistribution step_distribution(const SearchSpace& space, std::span<const Point* const> ranked) {
    StepDistribution steps;
    if (ranked.size() > 1) steps.factor = step_factor(space, ranked);
    steps.widest = min_sigma;
    for (double s : sizes_of(space, steps.factor)) steps.widest = std::max(steps.widest, s);
    return steps;
}

std::size_t tournament(std::size_t count, std::mt19937_64& rng) {
    const std::size_t rounds = std::min(tournament_size, count);
    std::size_t best = uniform_index(rng, count);
    for (std::size_t r = 1; r < rounds; ++r) best = std::min(best, uniform_index(rng, count));
    return best;
}

Bred breed(const SearchSpace& space, std::span<const Point* const> ranked, const BreedingSettings& settings,
           std::mt19937_64& rng) {
    return breed(space, ranked, step_distribution(space, ranked), settings, rng);
}

Bred breed(const SearchSpace& space, std::span<const Point* const> ranked, const StepDistribution& steps,
           const BreedingSettings& settings, std::mt19937_64& rng) {
    const std::size_t d = space.size();
    Bred bred;
    bred.first = tournament(ranked.size(), rng);
    if (ranked.size() > 1 && bernoulli(rng, settings.crossover_rate)) {
        bred.genes = recombine(space, ranked, *ranked[bred.first]);
        bred.second = bred.first == 0 ? 1 : 0;  // the fittest takes part; the lineage's parent
    } else {
        bred.genes = *ranked[bred.first];
    }
    // One correlated step, drawn whole (so the number of draws is fixed), applied to the genes
    // the mutation rate picks.
    std::vector<double> step(d, 0.0);
    if (!steps.factor.empty()) {
        const std::vector<double>& l = steps.factor;
        std::vector<double> z(d);
        for (double& x : z) x = standard_normal(rng);
        for (std::size_t i = 0; i < d; ++i)
            for (std::size_t j = 0; j <= i; ++j) step[i] += step_scale * l[i * d + j] * z[j];
    } else {
        for (double& x : step) x = max_sigma * standard_normal(rng);
    }
    for (std::size_t i = 0; i < d; ++i) {
        const Parameter& p = space[i];
        if (!can_change(p)) continue;
        if (p.kind() == ParameterKind::choice) {
            if (bernoulli(rng, settings.mutation_rate * choice_share)) mutate_gene(space, bred.genes, i, 0, rng);
            continue;
        }
        if (bernoulli(rng, settings.mutation_rate)) bred.genes[i] = p.from_unit(reflect(p.to_unit(bred.genes[i]) + step[i]));
    }
    // A child equal to a parent would only repeat its evaluation: one gene moves.
    ensure_differs(space, bred.genes, *ranked[bred.first], steps.widest, rng);
    if (bred.second) ensure_differs(space, bred.genes, *ranked[*bred.second], steps.widest, rng);
    return bred;
}

}  // namespace hpo::detail
