// Writing a complete checkpoint into a new file, outside SWMR: for create() and for rewrites
// (recovery after a crash, a resume with updated options). The file is published by rename only
// once closed, so no reader ever sees it half-written.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hpo/config/run_options.hpp"
#include "hpo/trial.hpp"

namespace hpo::store {

void write_new_file(const std::filesystem::path& path, const RunOptions& options,
                    const std::vector<Trial>& trials, const std::vector<IntermediateValue>& intermediate,
                    const std::string& strategy_state, bool finished);

}  // namespace hpo::store
