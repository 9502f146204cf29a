// The staged paths (KernelConfig::stage_paths) as symbolic links in a trial directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace hpo::exec_detail {

// Makes <trial_dir>/<staged_name(path)> a symbolic link to each path (absolute). A link left by
// an earlier run of the trial (a resume) is replaced; anything else by that name stays and is a
// SetupError, as is a link that cannot be made (kernel.hpp): the kernel would miss its data.
void link_staged_paths(const std::vector<std::string>& paths, const std::filesystem::path& trial_dir);

}  // namespace hpo::exec_detail
