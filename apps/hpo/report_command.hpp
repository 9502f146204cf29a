// `hpo report FILE.h5 [-o report.html] [--png DIR]`: the run as an HTML page and PNG figures,
// drawn by the Python package's hpo.report (matplotlib), which this hands over to.
#pragma once

#include <string>
#include <vector>

namespace hpo::cli {

// Replaces this process with `PYTHON -m hpo.report ARGS...` (the Python side parses the arguments,
// reports a bad checkpoint with exit 2 as `hpo show` does, and draws). PYTHON is $HPO_PYTHON, else
// the interpreter the package was built for, else `python3`; the package is looked for next to
// this program (the build tree's <build>/python, an install's <prefix>/<python dir>) before the
// interpreter's own path. Returns only if the interpreter cannot be started: throws
// std::runtime_error saying so.
int report_command(const std::vector<std::string>& args);

}  // namespace hpo::cli
