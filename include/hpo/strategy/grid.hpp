// Grid search: grid-size points per range (ends included), every option of a choice, the full
// product, plus the initial point evaluated first.
#pragma once

#include <set>
#include <vector>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/grid_options.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

class GridStrategy final : public Strategy {
public:
    GridStrategy(SearchSpace space, GridOptions options, SearchSettings settings = {});

    std::string_view name() const override { return "grid"; }
    std::vector<Proposal> ask(std::size_t max_count, int deme = any_deme) override;
    void tell(const Trial& trial) override;
    bool exhausted() const override;
    std::size_t planned_evaluations() const override { return points_.size(); }
    std::string save_state() const override;
    void load_state(std::string_view state) override;
    std::vector<Proposal> pending() const override;

    const std::vector<Point>& points() const { return points_; }

private:
    SearchSpace space_;
    GridOptions options_;
    SearchSettings settings_;
    std::vector<Point> points_;  // the initial point, then the product in odometer order
    TrialId next_id_ = 0;
    std::set<TrialId> pending_;
};

}  // namespace hpo
