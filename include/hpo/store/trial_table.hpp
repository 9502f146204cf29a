// Trials as a table: one row per trial, one column per field and per parameter. `hpo export`'s
// CSV and JSON writers and the Python package's `trials` only format it, so they share every column.
// The intermediate values as a table of the same kind, for `hpo export --intermediate`.
#pragma once

#include <string>
#include <vector>

#include "hpo/store/checkpoint.hpp"

namespace hpo {

struct Cell {
    // `none`: no value (a trial without a parent): an empty CSV field, JSON null, Python None.
    enum class Kind { integer, number, text, none };
    Kind kind = Kind::text;
    std::string text;   // integer and text cells: the text as written
    double number = 0;  // number cells: the value (NaN and infinities included)
};

struct TrialTable {
    std::vector<std::string> columns;
    std::vector<std::vector<Cell>> rows;  // each as long as `columns`
};

// Columns: id, deme, generation, member, parent, repeat_of, repeat, one per parameter named by its
// flag, fom, steps, status, exit_code, signal, start_time, end_time, host, worker, message,
// confirm_rank, confirm_mean, confirm_std, confirm_min, confirm_max, confirm_runs, confirm_failed.
// `member` is the pbt population member (0 for the other strategies), `parent` the trial whose
// checkpoint directory the trial started from (a none cell for none), `repeat_of` the original a
// repeat evaluates again (--confirm-top; none for an original) and `repeat` its number (0 for an
// original). The confirm_* cells are set on the originals that were evaluated again
// (confirmed_ranking, `maximize` the run's direction: rank 1 is the confirmed best; the mean,
// spread and count over their ok runs, the repeats that failed), none elsewhere. A parameter's cell is its value as
// the kernel received it: integer ranges as integers, float ranges as numbers, choices as the
// option's text. Rows in trial id order.
TrialTable make_trial_table(const SearchSpace& space, const std::vector<Trial>& trials, bool maximize = false);
TrialTable make_trial_table(const Checkpoint& checkpoint);

// The intermediate FoMs (--prune) of each trial's last attempt (last_attempts): columns trial,
// step, value (as printed), time (when hpo received it, seconds since the epoch); rows in trial
// id order, each trial's in step order. `hpo export --intermediate`.
TrialTable make_intermediate_table(const Checkpoint& checkpoint);

}  // namespace hpo
