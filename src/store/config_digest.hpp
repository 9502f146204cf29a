// A checksum of /config as a whole, stored beside it: its strings live in HDF5's global heap,
// which has no checksum of its own (object headers, and so the other attributes, have).
#pragma once

#include <cstdint>

#include "h5_handle.hpp"

namespace hpo::store {

// FNV-1a 64 of every attribute of /config and of its groups, visited by name: each group's name,
// each attribute's name, type class, element count and value (strings as their bytes, anything
// else as its bytes in the file's own encoding). Independent of what the reader knows of the
// configuration, so it covers attributes a newer hpo added too.
std::uint64_t config_digest(hid_t file);

// Writes config_digest as the root attribute `config_hash`; for a file whose /config is complete.
void write_config_digest(hid_t file);

// Throws StoreFailure if the file has a `config_hash` that does not match /config. Files written
// before it existed have none and are not checked.
void check_config_digest(hid_t file);

}  // namespace hpo::store
