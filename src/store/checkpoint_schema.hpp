// The layout of a checkpoint file (docs/checkpoint-format.md): names, the commit record, the
// property lists that make SWMR appends crash-safe, and the handles of the trial table and of the
// intermediate values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "h5_handle.hpp"
#include "hpo/space/search_space.hpp"

namespace hpo::store {

namespace names {
inline constexpr char format[] = "hpo_format";
inline constexpr char format_version[] = "hpo_format_version";
inline constexpr char config_hash[] = "config_hash";  // see config_digest.hpp
inline constexpr char config[] = "config";
inline constexpr char trials[] = "trials";
inline constexpr char values[] = "values";
inline constexpr char choices[] = "choices";
inline constexpr char text[] = "text";
inline constexpr char strategy_state[] = "strategy_state";
inline constexpr char commit[] = "commit";
// The trial column of the worker that ran each trial; files written before it was named for what it
// holds (an index, not an MPI rank) call it `worker_rank`, and readers accept either.
inline constexpr char worker[] = "worker";
inline constexpr char worker_before_rename[] = "worker_rank";
// Since format version 2: the FoM lines each trial printed, and the intermediate FoMs (--prune).
inline constexpr char steps[] = "steps";
inline constexpr char intermediate[] = "intermediate";
// Since format version 3: whose checkpoint directory each trial started from (-1: none), and the
// pbt population member it trained.
inline constexpr char parent[] = "parent";
inline constexpr char member[] = "member";
// Since format version 4: the original trial each repeat evaluates again (-1: an original), and
// which repeat it is (0 for an original).
inline constexpr char repeat_of[] = "repeat_of";
inline constexpr char repeat[] = "repeat";
}  // namespace names

// The `parent` column's value for a trial without one.
inline constexpr std::int64_t no_parent = -1;

// Rows per chunk of the trial columns, bytes per chunk of the text and state blobs: a flush
// rewrites at most the last chunk of each, so these bound the cost of an append.
inline constexpr hsize_t trial_chunk_rows = 1024;
inline constexpr hsize_t text_chunk_bytes = 16384;
inline constexpr hsize_t state_chunk_bytes = 65536;

// What one commit makes durable. Two of them live in /commit, written alternately; readers take
// the valid one (record_hash matches) with the highest sequence, so a torn record write leaves
// the previous commit in force.
struct CommitRecord {
    std::uint64_t sequence = 0;      // 0: never written
    std::uint64_t trial_count = 0;   // rows of /trials/* that are committed
    std::uint64_t text_length = 0;   // bytes of /trials/text that are committed
    std::int8_t state_slot = -1;     // which /strategy_state/slot<k> holds the state, -1 none
    std::uint64_t state_length = 0;
    std::uint64_t state_hash = 0;    // FNV-1a 64 of the state bytes
    std::int8_t finished = 0;
    double time = 0;                 // seconds since the epoch, when committed
    std::uint64_t intermediate_count = 0;  // rows of /intermediate/* committed (format 2 on; 0 before)
    std::uint64_t record_hash = 0;   // FNV-1a 64 of the fields above, see record_hash_of()
};

// The record's members depend on the file's format version (1: no intermediate_count); the
// writer writes only the current version.
std::uint64_t record_hash_of(const CommitRecord& record, int format_version);
bool record_is_valid(const CommitRecord& record, int format_version);

Handle commit_file_type(int format_version);
void write_commit(hid_t commit_dataset, const CommitRecord& record);  // at slot sequence % 2
// The valid record with the highest sequence; StoreFailure if none is valid or, in a file that was
// closed cleanly (no writer killed while writing a record), if one is damaged.
CommitRecord read_latest_commit(hid_t commit_dataset, bool closed_cleanly, int format_version);

// File access: the latest format (required by SWMR), file locking that tolerates file systems
// without it, and page-aligned allocations (see the .cpp for why).
Handle file_access_plist();

// The dataset name of a parameter's column: its flag, with '%' and '/' escaped as %25 and %2F.
std::string column_name(const std::string& flag);

// Open handles on the trial table of one file.
struct TrialColumns {
    Handle id, deme, generation, status, fom, exit_code, signal, start_time, end_time, worker;
    Handle steps;  // format 2 on; not valid in a format 1 file (its trials have 0 steps)
    Handle parent, member;  // format 3 on; not valid before (no parents, member 0)
    Handle repeat_of, repeat;  // format 4 on; not valid before (originals only)
    Handle host_offset, host_length, message_offset, message_length, text;
    std::vector<Handle> values;   // one per parameter, float64
    std::vector<Handle> choices;  // one per parameter; only choice parameters have a valid one

    // `need_choices`: the writer appends to them; a reader does without them.
    static TrialColumns open(hid_t file, const SearchSpace& space, bool need_choices, int format_version);
};

// Open handles on /intermediate (format 2 on): one row per intermediate FoM, in the order the
// pruner was given them.
struct IntermediateColumns {
    Handle trial, step, value, time, finished_before;

    // Also checks each column's type: StoreFailure "dataset /intermediate/step is not int32".
    static IntermediateColumns open(hid_t file);
};

// Creates /trials, /intermediate, /strategy_state and /commit (with an initial commit) for `space`.
void create_layout(hid_t file, const SearchSpace& space);

}  // namespace hpo::store
