// The summary `hpo run` prints at the end: best FoM, best parameters, status counts.
#pragma once

#include <iosfwd>

#include "hpo/run/run_options.hpp"

namespace hpo::cli {

// Writes the summary to `out`. The best parameters are printed as the kernel receives them
// (`--lr=0.0012 --opt=adam`, or `--lr 0.0012` with --arg-style space), shell-quoted where a
// value needs it, so they can be pasted after the kernel command.
void print_result(std::ostream& out, const RunOptions& options, const RunResult& result);

// A line saying why the run did not succeed (no trial succeeded, interrupted), or empty when it did.
std::string failure_reason(const RunOptions& options, const RunResult& result);

}  // namespace hpo::cli
