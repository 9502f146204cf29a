// What a checkpoint path names, before anything is written, renamed or locked there: symbolic
// links followed to the real file, and only a regular file ever replaced.
#pragma once

#include <filesystem>
#include <string>

namespace hpo::store {

// The file `path` names with every symbolic link of its last component followed (a link whose
// target does not exist yet names that target: a new checkpoint is created there). Writes, renames,
// set-asides and the writer's lock all act on this path, so that a link stays a link and two
// writers through different names of one file see each other's lock. Throws StoreFailure for a
// loop of links.
std::filesystem::path real_path(const std::filesystem::path& path);

// "a directory", "a character device", "a FIFO"... for anything at `path` (links followed) that is
// not a regular file; empty for a regular file or nothing at all.
std::string non_regular_kind(const std::filesystem::path& path);

// Throws StoreFailure unless `real` (a real_path) is a regular file or does not exist: hpo never
// writes over, renames or replaces anything else (a directory, a device such as /dev/null).
void require_regular_or_absent(const std::filesystem::path& real);

// Throws StoreFailure if the regular file `real` has more than one name (hard links): a lock on one
// name cannot see a writer through another, and replacing the file by rename would split them.
void require_single_name(const std::filesystem::path& real);

}  // namespace hpo::store
