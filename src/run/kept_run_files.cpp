// Moving a kept run's trial directories and logs out of a new run's way (see kept_run_files.hpp).
#include "kept_run_files.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace hpo {

namespace fs = std::filesystem;

namespace {

// The first free sibling of `path` named by `numbered(n)`, n = 1, 2, ...; `path` renamed to it.
template <class Numbered>
std::string rename_to_first_free(const fs::path& path, Numbered numbered) {
    std::error_code error;
    for (int n = 1;; ++n) {
        const fs::path candidate = numbered(n);
        if (fs::exists(fs::symlink_status(candidate, error))) continue;
        fs::rename(path, candidate);
        return candidate.string();
    }
}

// `Deme<k>_<log_name>`, k a number: a per-deme log of the log `log_name`.
bool is_deme_log_of(const std::string& name, const std::string& log_name) {
    const std::string suffix = "_" + log_name;
    if (name.size() <= 4 + suffix.size() || name.rfind("Deme", 0) != 0 || !name.ends_with(suffix)) return false;
    const std::string number = name.substr(4, name.size() - 4 - suffix.size());
    return std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

std::string set_aside_directory(const std::string& directory) {
    std::error_code error;
    if (!fs::is_directory(directory, error) || fs::is_empty(directory, error)) return "";
    const fs::path original = fs::path(directory).lexically_normal();
    const fs::path plain = original.has_filename() ? original : original.parent_path();
    return rename_to_first_free(plain, [&](int n) { return fs::path(plain.string() + "." + std::to_string(n)); });
}

std::vector<std::string> set_aside_logs(const std::string& log_fn) {
    std::vector<std::string> kept;
    if (log_fn.empty()) return kept;
    const fs::path log(log_fn);
    std::vector<fs::path> files;
    std::error_code error;
    if (fs::is_regular_file(log, error)) files.push_back(log);
    const fs::path dir = log.parent_path().empty() ? fs::path(".") : log.parent_path();
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        if (it->is_regular_file(error) && is_deme_log_of(it->path().filename().string(), log.filename().string())) {
            files.push_back(log.parent_path() / it->path().filename());
        }
    }
    for (const fs::path& file : files) {
        kept.push_back(rename_to_first_free(file, [&](int n) {
            fs::path candidate = file;
            return candidate.replace_filename(file.stem().string() + "." + std::to_string(n) + file.extension().string());
        }));
    }
    return kept;
}

}  // namespace hpo
