// Moving the files of a run that a new run does not continue out of its way, so that a driver run
// again in one folder never overwrites the first run's results: its trial directories and its
// logs (the checkpoint itself: hpo/store/set_aside.hpp).
#pragma once

#include <string>
#include <vector>

namespace hpo {

// Renames a non-empty directory to the first free NAME.N; returns the new name, or "" if there was
// nothing to move. Throws std::filesystem::filesystem_error naming both paths.
std::string set_aside_directory(const std::string& directory);

// Renames the log `log_fn` and the per-deme logs beside it (Deme<k>_<name>) to the first free
// NAME.N.EXT each (genetic.log -> genetic.1.log); returns the new names, none if there were none.
std::vector<std::string> set_aside_logs(const std::string& log_fn);

}  // namespace hpo
