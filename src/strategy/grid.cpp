// Grid search: the per-parameter value lists, their full product, and the initial point first.
#include "hpo/strategy/grid.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "draw.hpp"
#include "state_text.hpp"

namespace hpo {
namespace {

// More points than any run would evaluate; the limit keeps a typo from exhausting memory.
constexpr std::size_t max_grid_points = 1'000'000;

constexpr int state_version = 1;

// Integer ranges take the distinct rounded integers of the grid; log ranges are spaced
// geometrically; a choice contributes every option.
std::vector<double> axis_values(const Parameter& p, std::size_t grid_size) {
    std::vector<double> values;
    if (p.kind() == ParameterKind::choice) {
        for (std::size_t i = 0; i < p.cardinality(); ++i) values.push_back(static_cast<double>(i));
        return values;
    }
    for (std::size_t k = 0; k < grid_size; ++k) {
        const double t = static_cast<double>(k) / static_cast<double>(grid_size - 1);
        double v = p.from_unit(t);  // floats: exact ends, log spacing from the unit form
        if (p.kind() == ParameterKind::int_range) {
            v = p.is_log() ? std::round(std::exp(std::log(p.lo()) + t * (std::log(p.hi()) - std::log(p.lo()))))
                           : std::round(p.lo() + t * (p.hi() - p.lo()));
            v = std::clamp(v, p.lo(), p.hi());
        }
        if (values.empty() || values.back() != v) values.push_back(v);
    }
    return values;
}

std::vector<Point> product(const std::vector<std::vector<double>>& axes) {
    std::size_t total = 1;
    for (const auto& axis : axes) {
        if (total > max_grid_points / axis.size())
            throw std::invalid_argument("grid: the grid has more than " + std::to_string(max_grid_points) +
                                        " points; lower grid_size or the number of parameters");
        total *= axis.size();
    }
    std::vector<Point> points;
    points.reserve(total);
    std::vector<std::size_t> digit(axes.size(), 0);
    for (std::size_t n = 0; n < total; ++n) {
        Point point(axes.size());
        for (std::size_t i = 0; i < axes.size(); ++i) point[i] = axes[i][digit[i]];
        points.push_back(std::move(point));
        // Odometer: the last parameter turns fastest.
        for (std::size_t i = axes.size(); i-- > 0;) {
            if (++digit[i] < axes[i].size()) break;
            digit[i] = 0;
        }
    }
    return points;
}

}  // namespace

GridStrategy::GridStrategy(SearchSpace space, GridOptions options, SearchSettings settings)
    : space_(std::move(space)), options_(options), settings_(settings) {
    options_.check();
    if (options_.grid_size > max_grid_points)
        throw std::invalid_argument("grid: grid_size " + std::to_string(options_.grid_size) + " is too large (at most " +
                                    std::to_string(max_grid_points) + " points in all)");
    std::vector<std::vector<double>> axes;
    for (const auto& p : space_) axes.push_back(axis_values(p, options_.grid_size));
    std::vector<Point> grid = product(axes);

    std::mt19937_64 rng(settings_.seed);
    Point initial = space_.initial_point(rng);
    // The initial point goes first; if it is on the grid too, that later copy is dropped, so
    // no point is evaluated twice.
    points_.reserve(grid.size() + 1);
    points_.push_back(initial);
    for (auto& point : grid)
        if (point != initial) points_.push_back(std::move(point));
}

std::vector<Proposal> GridStrategy::ask(std::size_t max_count, int deme) {
    detail::check_deme(name(), deme, num_demes());
    std::vector<Proposal> proposals;
    while (proposals.size() < max_count && next_id_ < points_.size()) {
        Proposal p = detail::plain_proposal(next_id_, points_[next_id_]);
        ++next_id_;
        pending_.insert(p.id);
        proposals.push_back(std::move(p));
    }
    return proposals;
}

void GridStrategy::tell(const Trial& trial) {
    if (pending_.erase(trial.id) == 0) detail::unknown_trial(name(), trial.id);
}

bool GridStrategy::exhausted() const { return next_id_ >= points_.size(); }

std::vector<Proposal> GridStrategy::pending() const {
    std::vector<Proposal> proposals;
    for (TrialId id : pending_) proposals.push_back(detail::plain_proposal(id, points_[id]));
    return proposals;
}

// The grid follows from the space and the options; the state is where the run is on it. The
// number of points and the initial point are saved to catch a state loaded into another grid.
std::string GridStrategy::save_state() const {
    detail::StateWriter out(name(), state_version);
    out.dimension(space_);
    out.line("points") << points_.size();
    out.line("initial") << points_.front();
    out.line("next-id") << next_id_;
    out.line("pending");
    for (TrialId id : pending_) out << id;
    return out.finish();
}

void GridStrategy::load_state(std::string_view state) {
    detail::StateReader in(state, name(), state_version);
    in.dimension(space_);
    in.line("points");
    const std::uint64_t points = in.unsigned_number();
    if (points != points_.size())
        in.fail("the state is of a grid of " + std::to_string(points) + " points, this grid has " +
                std::to_string(points_.size()) + " (another grid_size?)");
    in.line("initial");
    if (in.point(space_) != points_.front())
        in.fail("the state's initial point differs from this grid's (another seed or defaults?)");
    in.line("next-id");
    const TrialId next_id = in.unsigned_number(0, points_.size());
    in.line("pending");
    std::set<TrialId> pending;
    while (!in.line_done()) pending.insert(in.pending_id(pending.empty() ? 0 : *pending.rbegin() + 1, next_id));
    in.finish();
    next_id_ = next_id;
    pending_ = std::move(pending);
}

}  // namespace hpo
