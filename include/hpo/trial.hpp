// The record of one evaluation: what was proposed, where it ran and how it ended.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "hpo/space/search_space.hpp"

namespace hpo {

using TrialId = std::uint64_t;

// Every evaluation ends in exactly one of these (README: The training kernel). `pruned`: stopped
// early by the pruning rule (--prune) because its intermediate FoMs were hopeless.
enum class TrialStatus { ok, failed, crashed, timeout, no_fom, bad_fom, pruned };

std::string_view to_string(TrialStatus status);
std::optional<TrialStatus> trial_status_from_string(std::string_view text);

// What a strategy asks to be evaluated.
struct Proposal {
    TrialId id = 0;
    int deme = 0;
    int generation = 0;  // pbt: the member's round
    Point values;
    // The trial whose checkpoint directory this one starts from, a copy of it (@checkpoint:
    // pbt, and genetic children with checkpoints); none: an empty directory.
    std::optional<TrialId> parent;
    int member = 0;      // pbt: the population member it trains; 0 for the other strategies
    // Confirmation (--confirm-top): the original trial this one evaluates again, and which repeat
    // it is (1..R; the kernel's HPO_REPEAT and @repeat). None and 0 for an original trial.
    std::optional<TrialId> repeat_of;
    int repeat = 0;

    friend bool operator==(const Proposal&, const Proposal&) = default;
};

// A finished evaluation. Failure is data: a failed trial is a Trial with a non-ok status.
struct Trial {
    TrialId id = 0;
    int deme = 0;
    int generation = 0;  // pbt: the member's round
    Point values;
    std::optional<TrialId> parent;  // as in its Proposal: whose checkpoint directory it started from
    int member = 0;                 // pbt: the population member it trained
    std::optional<TrialId> repeat_of;  // as in its Proposal: the original it repeats (--confirm-top)
    int repeat = 0;                    // 1..R for a repeat, 0 for an original
    TrialStatus status = TrialStatus::ok;
    double fom = std::numeric_limits<double>::quiet_NaN();  // the last FoM printed, NaN if none
    int steps = 0;         // how many FoM lines it printed: the n-th is step n (an epoch, say)
    int exit_code = 0;     // the kernel's exit status, -1 if it did not exit normally
    int signal = 0;        // the signal that ended it, 0 if none
    double start_time = 0; // seconds since the epoch
    double end_time = 0;
    std::string host;
    int worker = 0;        // the index of the worker that ran it, from 0 (under MPI, rank - 1)
    std::string message;   // why it failed, and the tail of stderr

    bool ok() const { return status == TrialStatus::ok; }

    friend bool operator==(const Trial&, const Trial&) = default;
};

// What the search minimizes: the FoM (negated when maximizing); +inf for any non-ok trial, so
// that a failure (and a pruned trial) is never the best.
double loss_of(const Trial& trial, bool maximize);

// True when `a` is strictly better than `b` (lower loss; ties go to the older, lower id).
bool better_trial(const Trial& a, const Trial& b, bool maximize);

// One intermediate FoM a running trial reported (--prune): its step (the n-th FoM line is step
// n), the value as printed, when the coordinator received it, and how many trials had finished
// then (the order of reports and results is what a pruner's decisions depend on: a resume
// replays both in that order). Step 0 marks a restart: the trial runs again from step 1 (its
// worker was lost, or the run was resumed while it ran), and its values before the mark are void.
struct IntermediateValue {
    TrialId trial = 0;
    int step = 0;
    double value = std::numeric_limits<double>::quiet_NaN();
    double time = 0;                 // seconds since the epoch
    std::uint64_t finished_before = 0;  // trials in the run's result when it arrived

    friend bool operator==(const IntermediateValue&, const IntermediateValue&) = default;
};

}  // namespace hpo
