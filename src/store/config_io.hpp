// The run configuration (RunOptions) as typed attributes under /config.
#pragma once

#include <hdf5.h>

#include "hpo/config/run_options.hpp"

namespace hpo::store {

void write_config(hid_t file, const RunOptions& options);

// Throws StoreFailure naming what is missing or malformed. `checkpoint_fn` and `checkpoint_mode` keep
// their defaults.
RunOptions read_config(hid_t file);

}  // namespace hpo::store
