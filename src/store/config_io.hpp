// The run configuration (RunOptions) as typed attributes under /config.
#pragma once

#include <hdf5.h>

#include "hpo/config/run_options.hpp"

namespace hpo::store {

void write_config(hid_t file, const RunOptions& options);
// True when write_config would store the same thing for both: a resume with unchanged options
// need not rewrite the file. Kept beside write_config so that a new field is added to both.
bool same_stored_config(const RunOptions& a, const RunOptions& b);

// Throws StoreFailure naming what is missing or malformed. `checkpoint` and `checkpoint_mode` keep
// their defaults.
RunOptions read_config(hid_t file);

}  // namespace hpo::store
