// `hpo report`: finds the interpreter and the package, then execs `PYTHON -m hpo.report ARGS...`.
#include "report_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <system_error>

#ifndef HPO_PYTHON_EXECUTABLE  // python/CMakeLists.txt defines both: the interpreter the package is built for
#define HPO_PYTHON_EXECUTABLE ""
#endif
#ifndef HPO_PYTHON_INSTALL_DIR  // and where `cmake --install` puts the package, under the prefix
#define HPO_PYTHON_INSTALL_DIR ""
#endif

namespace hpo::cli {

namespace fs = std::filesystem;

namespace {

std::string interpreter() {
    if (const char* chosen = std::getenv("HPO_PYTHON"); chosen && *chosen) return chosen;
    const std::string built_for = HPO_PYTHON_EXECUTABLE;
    std::error_code error;
    if (!built_for.empty() && fs::exists(built_for, error)) return built_for;
    return "python3";
}

// The folder holding the package `hpo` (with its report subpackage) next to this program: the
// build tree's <build>/python for <build>/bin/hpo, or <prefix>/<install dir> for <prefix>/bin/hpo.
// Empty if neither holds it (then the interpreter's own path must).
fs::path package_dir() {
    std::error_code error;
    const fs::path program = fs::read_symlink("/proc/self/exe", error);
    if (error) return {};
    const fs::path prefix = program.parent_path().parent_path();
    for (const fs::path& candidate : {prefix / "python", prefix / HPO_PYTHON_INSTALL_DIR}) {
        if (candidate != prefix && fs::exists(candidate / "hpo" / "report" / "__main__.py", error)) return candidate;
    }
    return {};
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
    const std::string python = interpreter();
    if (const fs::path dir = package_dir(); !dir.empty()) {
        const char* old = std::getenv("PYTHONPATH");
        const std::string path = dir.string() + (old && *old ? ":" + std::string(old) : "");
        ::setenv("PYTHONPATH", path.c_str(), 1);
    }
    ::setenv("HPO_REPORT_PROG", "hpo report", 1);  // its usage and help name this command
    ::setenv("MPLBACKEND", "Agg", 1);              // never a display

    std::vector<std::string> words = {python, "-m", "hpo.report"};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    std::cout.flush();
    std::cerr.flush();
    ::execvp(argv[0], argv.data());
    const int error = errno;
    throw std::runtime_error("hpo report draws with the Python package hpo.report, but the interpreter '" + python +
                             "' cannot be started (" + std::strerror(error) +
                             "): install python3 and python3-matplotlib, or set HPO_PYTHON to an interpreter that "
                             "has the hpo package");
}

}  // namespace hpo::cli
