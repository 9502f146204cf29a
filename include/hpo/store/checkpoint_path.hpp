// Vetting a checkpoint path before a run: for the command line, which refuses a bad one before
// anything starts.
#pragma once

#include <filesystem>

namespace hpo {

// Throws CheckpointError naming `path` if it names (through symbolic links) anything that exists
// and is not a regular file: a directory, a device, a FIFO, a socket. Nothing is created.
void check_checkpoint_path(const std::filesystem::path& path);

}  // namespace hpo
