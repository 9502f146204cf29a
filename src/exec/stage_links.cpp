// Staged paths linked into a trial directory (see stage_links.hpp).
#include "stage_links.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "errno_text.hpp"
#include "hpo/exec/kernel.hpp"
#include "hpo/exec/kernel_config.hpp"

namespace hpo::exec_detail {

namespace fs = std::filesystem;

void link_staged_paths(const std::vector<std::string>& paths, const fs::path& trial_dir) {
    for (const auto& path : paths) {
        std::error_code ec;
        const fs::path target = fs::path(path).is_absolute() ? fs::path(path) : fs::absolute(path, ec);
        const fs::path link = trial_dir / staged_name(path);
        const std::string what = "cannot link the staged path " + target.string() + " as " + link.string();
        if (::symlink(target.c_str(), link.c_str()) == 0) continue;
        if (errno != EEXIST) throw SetupError(what + ": " + errno_text(errno));
        if (!fs::is_symlink(fs::symlink_status(link, ec))) throw SetupError(what + ": a file is in the way");
        if (fs::read_symlink(link, ec) == target && !ec) continue;
        if (::unlink(link.c_str()) != 0 || ::symlink(target.c_str(), link.c_str()) != 0) {
            throw SetupError(what + ": " + errno_text(errno));
        }
    }
}

}  // namespace hpo::exec_detail
