// Mutation and crossover on genotypes, in the unit form of the space.
#include "genetic_operators.hpp"

#include <cmath>

#include "draw.hpp"

namespace hpo::detail {
namespace {

// Reflection rather than clamping, so that steps do not pile individuals up on the bounds.
double reflect(double unit) {
    unit = std::fmod(std::fabs(unit), 2.0);
    return unit > 1.0 ? 2.0 - unit : unit;
}

constexpr int float_retries = 8;

}  // namespace

bool can_change(const Parameter& parameter) { return parameter.cardinality() != 1; }

void mutate_gene(const SearchSpace& space, Point& genes, std::size_t i, double sigma, std::mt19937_64& rng) {
    const Parameter& p = space[i];
    const double old = genes[i];
    switch (p.kind()) {
    case ParameterKind::choice: {
        const std::size_t n = p.cardinality();
        if (n < 2) return;
        std::size_t index = uniform_index(rng, n - 1);
        if (static_cast<double>(index) >= old) ++index;  // skip the current option
        genes[i] = static_cast<double>(index);
        return;
    }
    case ParameterKind::int_range: {
        const double step = sigma * standard_normal(rng);
        double value = p.from_unit(reflect(p.to_unit(old) + step));
        if (value == old) {
            const double direction = step >= 0 ? 1.0 : -1.0;
            value = p.contains(old + direction) ? old + direction : old - direction;
        }
        genes[i] = value;
        return;
    }
    case ParameterKind::float_range:
        // A step so small that it rounds back to the same double is retried, a few times only.
        for (int attempt = 0; attempt < float_retries && genes[i] == old; ++attempt)
            genes[i] = p.from_unit(reflect(p.to_unit(old) + sigma * standard_normal(rng)));
        return;
    }
}

void mutate(const SearchSpace& space, Point& genes, const MutationSettings& settings, std::mt19937_64& rng) {
    for (std::size_t i = 0; i < space.size(); ++i)
        if (bernoulli(rng, settings.rate) && can_change(space[i])) mutate_gene(space, genes, i, settings.sigma, rng);
}

void ensure_differs(const SearchSpace& space, Point& genes, const Point& parent, double sigma,
                    std::mt19937_64& rng) {
    if (genes != parent) return;
    std::vector<std::size_t> changeable;
    for (std::size_t i = 0; i < space.size(); ++i)
        if (can_change(space[i])) changeable.push_back(i);
    if (changeable.empty()) return;
    mutate_gene(space, genes, changeable[uniform_index(rng, changeable.size())], sigma, rng);
}

Point uniform_crossover(const Point& a, const Point& b, std::mt19937_64& rng) {
    Point child(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) child[i] = bernoulli(rng, 0.5) ? a[i] : b[i];
    return child;
}

}  // namespace hpo::detail
