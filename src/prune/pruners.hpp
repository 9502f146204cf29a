// The pruners behind make_pruner (private to src/prune).
#pragma once

#include <memory>

#include "hpo/prune/pruner.hpp"

namespace hpo::prune_detail {

std::unique_ptr<Pruner> make_asha(const PruneOptions& options);       // one bracket
std::unique_ptr<Pruner> make_hyperband(const PruneOptions& options);  // hyperband_brackets() of them
std::unique_ptr<Pruner> make_median(const PruneOptions& options);

}  // namespace hpo::prune_detail
