// The HDF5 datatypes the checkpoint uses beyond plain numbers: UTF-8 strings, h5py-style booleans,
// the trial status enum and one enum per choice parameter.
#pragma once

#include <string>
#include <vector>

#include "h5_handle.hpp"

namespace hpo::store {

// Variable-length UTF-8 string: how files written before the checksums stored their strings (the
// store reads them still; it writes fixed-length ones, see h5_attributes.cpp).
Handle string_type();
// The enum h5py uses for numpy booleans (int8: FALSE = 0, TRUE = 1), so h5py reads numpy.bool_.
Handle bool_type();
// TrialStatus as an enum on int8 whose names are the statuses' text forms (h5dump prints them);
// `pruned` since format version 2 (a version 1 file's enum lacks it: HDF5 converts by name).
Handle status_type();
// A choice parameter's options as an enum (uint16 or uint32 by the number of options): the value is
// the option's index, the name the option itself.
Handle choice_type(const std::vector<std::string>& options);

}  // namespace hpo::store
