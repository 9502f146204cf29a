// pbt's explore step: perturb each hyperparameter by a factor, or draw it afresh.
#include "pbt_explore.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "draw.hpp"

namespace hpo::detail {
namespace {

constexpr double factor = 1.2;       // the perturbation: x 0.8 or x 1.2 (log: x or / 1.2)
constexpr double linear_down = 0.8;
constexpr double zero_step = 0.2;    // a linear 0 moves by this fraction of the range's width

double perturb_range(const Parameter& p, double value, bool up) {
    double moved;
    if (p.is_log()) moved = up ? value * factor : value / factor;
    else if (value == 0) moved = value + (up ? zero_step : -zero_step) * (p.hi() - p.lo());
    else moved = value * (up ? factor : linear_down);
    // The direction the value was meant to move in (a negative value times 1.2 goes down).
    const double direction = moved > value ? 1.0 : -1.0;
    if (p.kind() == ParameterKind::int_range) {
        double rounded = std::round(moved);
        if (rounded == value) rounded = value + direction;  // too small a step to leave the integer
        moved = rounded;
    }
    return std::clamp(moved, p.lo(), p.hi());
}

double neighbour_option(const Parameter& p, double index, bool up) {
    const double last = static_cast<double>(p.options().size() - 1);
    if (last == 0) return index;
    if (index == 0) return 1;
    if (index == last) return last - 1;
    return up ? index + 1 : index - 1;
}

}  // namespace

Point explore(const SearchSpace& space, const Point& point, std::mt19937_64& rng, double resample_probability) {
    if (point.size() != space.size()) throw std::invalid_argument("pbt: explore of a point of another space");
    Point out(point.size());
    for (std::size_t i = 0; i < space.size(); ++i) {
        const Parameter& p = space[i];
        // Two draws per parameter whatever happens, so that one parameter's outcome never shifts
        // the next one's draws.
        const bool resample = bernoulli(rng, resample_probability);
        const double u = uniform01(rng);
        if (resample) out[i] = p.from_unit(u);
        else if (p.kind() == ParameterKind::choice) out[i] = neighbour_option(p, point[i], u < 0.5);
        else out[i] = perturb_range(p, point[i], u < 0.5);
    }
    return out;
}

}  // namespace hpo::detail
