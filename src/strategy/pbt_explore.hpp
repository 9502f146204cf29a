// pbt's explore step: new hyperparameters near a member's (internal to src/strategy).
#pragma once

#include <random>

#include "hpo/space/search_space.hpp"

namespace hpo::detail {

// Per parameter of `point` (a point of `space`): with `resample_probability` a fresh draw from the
// parameter's domain; otherwise a range's value times 0.8 or 1.2 (even odds; a log range's value
// times or divided by 1.2, a step of ln 1.2 on its scale; a linear range's 0 moves by 20 % of the
// range's width instead), clipped to the range, an integer's rounded (and moved by one in the
// factor's direction where rounding would keep it as it was); a choice's neighbouring option
// (even odds, the only one at an end; a one-option choice stays). The result is a point of `space`.
Point explore(const SearchSpace& space, const Point& point, std::mt19937_64& rng, double resample_probability);

}  // namespace hpo::detail
