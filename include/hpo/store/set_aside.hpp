// Moving an existing checkpoint out of a new run's way without losing it.
#pragma once

#include <filesystem>

namespace hpo {

// Renames the checkpoint at `path` to the first free NAME.N.EXT beside it (hpo.h5 -> hpo.1.h5)
// and returns the new path. Throws CheckpointError if a writer holds it (a run is using it) or it
// cannot be renamed; the file is then untouched.
std::filesystem::path set_aside_checkpoint(const std::filesystem::path& path);

}  // namespace hpo
