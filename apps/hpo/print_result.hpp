// The summary `hpo run` prints at the end (best FoM, best parameters, status counts), also used
// by `hpo show`, and the messages for a run that did not succeed.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"

namespace hpo::cli {

// Writes the summary to `out`; with pruned trials, how many and the kernel time that saved
// (pruning_text). The best parameters are printed as the kernel receives them
// (`--lr=0.0012 --opt=adam`, or `--lr 0.0012` with --arg-style space), shell-quoted where a
// value needs it, so they can be pasted after the kernel command.
void print_result(std::ostream& out, const RunOptions& options, const RunResult& result);

// "lost workers: rank 3 (node n1), trial 17 re-run\n" (or "pending" when the run ended before
// the trial ran again), or empty when no worker was lost. Part of the summary.
std::string lost_workers_text(const RunResult& result);

// A line saying why the run did not succeed (no trial succeeded), or empty when it did.
std::string failure_reason(const RunOptions& options, const RunResult& result);

// What to say on stderr when a signal stopped the run (or, without one, when every worker of
// an MPI job was lost): what was kept and how to continue.
std::string interruption_notice(const RunOptions& options, const RunResult& result);

// What to say on stderr when hpo stopped the run because it could not start a trial (its run
// directory...): the error, that it is not the kernel's, and how to continue.
std::string setup_error_notice(const RunOptions& options, const std::string& error);

// With confirmation (--confirm-top), once something was evaluated again: the best configuration by
// its mean over its runs, with the spread (`best FoM (mean of 3 runs): 0.52 (std 0.01, min 0.51,
// max 0.53, n 3)`), its parameters, its trial and repeats, and the single best run when it is
// another configuration's. Empty otherwise.
std::string confirmed_text(const RunOptions& options, const RunResult& result);

// The shortest text that reads back as the same double ("0.0123", "inf", "nan"): number_text.
std::string fom_text(double fom);

// "38 ok, 1 failed, 1 timeout": only the statuses that occurred, in the taxonomy's order.
std::string status_details(const std::vector<Trial>& trials);

}  // namespace hpo::cli
