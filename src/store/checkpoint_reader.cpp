// Reading checkpoints: validation of everything a reader relies on, the trial table and the intermediate values.
#include "checkpoint_reader.hpp"

#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>
#include <thread>

#include "checkpoint_path.hpp"
#include "config_digest.hpp"
#include "config_io.hpp"
#include "file_ops.hpp"
#include "fnv.hpp"
#include "h5_attributes.hpp"
#include "h5_columns.hpp"
#include "h5_types.hpp"
#include "hpo/store/checkpoint.hpp"

namespace hpo::store {
namespace {

void check_format(hid_t file, OpenedCheckpoint& out) {
    if (!has_attr(file, names::format))
        throw StoreFailure("not an hpo checkpoint: the root group has no '" + std::string(names::format) +
                           "' attribute (another program's HDF5 file?)");
    const std::string format = read_string_attr(file, names::format);
    if (format != checkpoint_format_name)
        throw StoreFailure("not an hpo checkpoint: '" + std::string(names::format) + "' is '" + format +
                           "', not '" + std::string(checkpoint_format_name) + "'");
    if (!has_attr(file, names::format_version))
        throw StoreFailure("no '" + std::string(names::format_version) + "' attribute on the root group");
    const std::int64_t version = read_int_attr(file, names::format_version);
    if (version > checkpoint_format_version)
        throw StoreFailure("checkpoint format version " + std::to_string(version) +
                           " is newer than this hpo reads (up to " + std::to_string(checkpoint_format_version) +
                           "): use a newer hpo");
    if (version < 1) throw StoreFailure("unknown checkpoint format version " + std::to_string(version));
    out.format_version = static_cast<int>(version);
}

// Every column must hold at least the committed rows; more only if the writer died mid-append.
// `intermediate`: null in a format 1 file.
bool check_lengths(const TrialColumns& c, const IntermediateColumns* intermediate, const CommitRecord& commit) {
    bool exact = true;
    auto check = [&](const Handle& column, hsize_t needed) {
        const hsize_t length = length_of(column);
        if (length < needed)
            throw StoreFailure("dataset " + object_name(column) + " holds " + std::to_string(length) +
                               " entries, the last commit counts " + std::to_string(needed) + " (corrupt file)");
        exact = exact && length == needed;
    };
    for (const Handle* column : {&c.id, &c.deme, &c.generation, &c.status, &c.fom, &c.exit_code, &c.signal,
                                 &c.start_time, &c.end_time, &c.worker, &c.host_offset, &c.host_length,
                                 &c.message_offset, &c.message_length})
        check(*column, commit.trial_count);
    for (const Handle* column : {&c.steps, &c.parent, &c.member, &c.repeat_of, &c.repeat})
        if (column->valid()) check(*column, commit.trial_count);
    for (const auto& column : c.values) check(column, commit.trial_count);
    for (const auto& column : c.choices)
        if (column.valid()) check(column, commit.trial_count);
    check(c.text, commit.text_length);
    if (intermediate) {
        const IntermediateColumns& i = *intermediate;
        for (const Handle* column : {&i.trial, &i.step, &i.value, &i.time, &i.finished_before})
            check(*column, commit.intermediate_count);
    }
    return exact;
}

Handle open_state_slot(hid_t file, int slot) {
    Handle group = open_group(file, names::strategy_state);
    return open_column(group, "slot" + std::to_string(slot));
}

// Rows [0, count) of a column, the committed ones. Every chunk's checksum is verified but one's,
// in a file with a writer (`writer_seen`: live, or killed): the chunk that holds the last
// committed rows and the first new ones is rewritten by each commit, and a writer killed inside
// that write() leaves it torn at a page boundary. Its committed rows are then still the bytes of
// an earlier complete write, but its checksum fails: that one chunk is read again unverified.
void read_committed(const Handle& column, hsize_t count, hid_t mem_type, void* out, bool writer_seen) {
    const hsize_t chunk = chunk_rows_of(column);
    if (!writer_seen || chunk == 0 || count % chunk == 0) {
        read_rows(column, 0, count, mem_type, out);
        return;
    }
    const hsize_t tail = count / chunk * chunk;
    read_rows(column, 0, tail, mem_type, out);
    void* tail_out = static_cast<char*>(out) + tail * H5Tget_size(mem_type);
    try {
        read_rows(column, tail, count - tail, mem_type, tail_out);
    } catch (const StoreFailure&) {
        read_rows(column, tail, count - tail, mem_type, tail_out, false);
    }
}

template <typename T>
std::vector<T> read_column(const Handle& column, hsize_t count, hid_t mem_type, bool writer_seen) {
    std::vector<T> out(count);
    read_committed(column, count, mem_type, out.data(), writer_seen);
    return out;
}

std::string text_at(const std::string& text, std::uint64_t offset, std::uint32_t length, TrialId id) {
    if (offset > text.size() || length > text.size() - offset)
        throw StoreFailure("trial " + std::to_string(id) + " refers to text beyond /trials/text (corrupt file)");
    return text.substr(offset, length);
}

std::string read_state(hid_t file, const CommitRecord& commit) {
    if (commit.state_slot < 0) return {};
    Handle slot = open_state_slot(file, commit.state_slot);
    if (length_of(slot) < commit.state_length)
        throw StoreFailure("the strategy state is shorter than its commit record says (corrupt file)");
    std::string state(commit.state_length, '\0');
    read_rows(slot, 0, state.size(), H5T_NATIVE_UCHAR, state.data());
    if (fnv1a(state) != commit.state_hash)
        throw StoreFailure("the strategy state does not match its checksum (corrupt file)");
    return state;
}

OpenedCheckpoint open_once(const std::filesystem::path& path, const FileProbe& probe) {
    OpenedCheckpoint out;
    // A set SWMR-write flag means a writer has the file open, or was killed with it open: only
    // SWMR read access opens it then (and skips the end-of-file check a live writer would fail).
    out.swmr = (probe.status_flags & sb_swmr_write_access) != 0;
    if (!out.swmr && (probe.status_flags & sb_write_access))
        throw StoreFailure("is open for writing by another program, or was left inconsistent by one that "
                           "crashed (not an hpo writer: hpo writes in SWMR mode)");
    Handle fapl = file_access_plist();
    const unsigned flags = H5F_ACC_RDONLY | (out.swmr ? H5F_ACC_SWMR_READ : 0u);
    const hid_t id = H5Fopen(path.c_str(), flags, fapl);
    if (id < 0) throw StoreFailure("HDF5 cannot open it (truncated or corrupt?): " + hdf5_error_text());
    out.file = Handle(id, H5Fclose);

    check_format(out.file, out);
    check_config_digest(out.file);
    try {
        out.options = read_config(out.file);
    } catch (const StoreFailure& e) {
        throw StoreFailure(std::string("bad run configuration: ") + e.what());
    }
    Handle commit = open_column(out.file, names::commit);
    out.commit = read_latest_commit(commit, !out.swmr, out.format_version);
    // At once: a live writer reuses the other slot's space two state commits later, so the state
    // must be read before that (trial rows, in contrast, are never rewritten).
    out.strategy_state = read_state(out.file, out.commit);
    const TrialColumns columns = TrialColumns::open(out.file, out.options.space, false, out.format_version);
    std::optional<IntermediateColumns> intermediate;
    if (out.format_version >= 2) intermediate = IntermediateColumns::open(out.file);
    const bool exact = check_lengths(columns, intermediate ? &*intermediate : nullptr, out.commit);
    out.tidy = exact && !out.swmr;
    return out;
}

}  // namespace

std::string checkpoint_prefix(const std::filesystem::path& path) { return "checkpoint '" + path.string() + "': "; }

OpenedCheckpoint open_checkpoint(const std::filesystem::path& path) {
    const FileProbe probe = probe_file(path);
    if (!probe.exists) throw StoreFailure("does not exist");
    if (!probe.regular) throw StoreFailure("is " + non_regular_kind(path) + ", not a regular file");
    if (probe.read_error) throw StoreFailure(std::string("cannot be read: ") + std::strerror(probe.read_error));
    if (probe.size == 0) throw StoreFailure("is empty, not an HDF5 file");
    if (!probe.hdf5) throw StoreFailure("is not an HDF5 file (no HDF5 signature)");
    return open_once(path, probe);
}

LoadedCheckpoint load_consistent(const std::filesystem::path& path, bool with_trials) {
    for (int attempt = 0;; ++attempt) {
        try {
            OpenedCheckpoint opened = open_checkpoint(path);
            LoadedCheckpoint loaded;
            loaded.tidy = opened.tidy;
            Checkpoint& c = loaded.checkpoint;
            c.format_version = opened.format_version;
            if (with_trials) {
                c.trials = read_trials(opened);
                c.intermediate = read_intermediate(opened);
            }
            c.strategy_state = std::move(opened.strategy_state);
            c.finished = opened.commit.finished != 0;
            c.options = std::move(opened.options);
            c.options.checkpoint_fn = path.string();
            c.options.checkpoint_mode = CheckpointMode::resume;
            return loaded;
        } catch (const StoreFailure&) {
            // Only a file with a writer (live or dead) can change under the reader; a dead
            // writer's file does not change, so its error stands after the retries.
            if (!(probe_file(path).status_flags & sb_swmr_write_access) || attempt >= 20) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
}

std::vector<Trial> read_trials(const OpenedCheckpoint& cp) {
    const TrialColumns c = TrialColumns::open(cp.file, cp.options.space, false, cp.format_version);
    const hsize_t n = cp.commit.trial_count;
    const bool w = cp.swmr;
    Handle status_mem = status_type();
    const auto ids = read_column<std::uint64_t>(c.id, n, H5T_NATIVE_UINT64, w);
    const auto demes = read_column<int>(c.deme, n, H5T_NATIVE_INT, w);
    const auto generations = read_column<int>(c.generation, n, H5T_NATIVE_INT, w);
    const auto statuses = read_column<std::int8_t>(c.status, n, status_mem, w);
    const auto foms = read_column<double>(c.fom, n, H5T_NATIVE_DOUBLE, w);
    const auto exit_codes = read_column<int>(c.exit_code, n, H5T_NATIVE_INT, w);
    const auto signals = read_column<int>(c.signal, n, H5T_NATIVE_INT, w);
    const auto starts = read_column<double>(c.start_time, n, H5T_NATIVE_DOUBLE, w);
    const auto ends = read_column<double>(c.end_time, n, H5T_NATIVE_DOUBLE, w);
    const auto workers = read_column<int>(c.worker, n, H5T_NATIVE_INT, w);
    // Format 1 counted no steps: its trials have 0.
    const auto steps = c.steps.valid() ? read_column<int>(c.steps, n, H5T_NATIVE_INT, w) : std::vector<int>(n, 0);
    // Format 3 added parents and members: older trials have none and 0.
    const auto parents = c.parent.valid() ? read_column<std::int64_t>(c.parent, n, H5T_NATIVE_INT64, w)
                                          : std::vector<std::int64_t>(n, no_parent);
    const auto members = c.member.valid() ? read_column<int>(c.member, n, H5T_NATIVE_INT, w) : std::vector<int>(n, 0);
    // Format 4 added repeats (--confirm-top): older trials are all originals.
    const auto repeats_of = c.repeat_of.valid() ? read_column<std::int64_t>(c.repeat_of, n, H5T_NATIVE_INT64, w)
                                                : std::vector<std::int64_t>(n, no_parent);
    const auto repeats = c.repeat.valid() ? read_column<int>(c.repeat, n, H5T_NATIVE_INT, w) : std::vector<int>(n, 0);
    const auto host_offsets = read_column<std::uint64_t>(c.host_offset, n, H5T_NATIVE_UINT64, w);
    const auto host_lengths = read_column<std::uint32_t>(c.host_length, n, H5T_NATIVE_UINT32, w);
    const auto message_offsets = read_column<std::uint64_t>(c.message_offset, n, H5T_NATIVE_UINT64, w);
    const auto message_lengths = read_column<std::uint32_t>(c.message_length, n, H5T_NATIVE_UINT32, w);
    std::string text(cp.commit.text_length, '\0');
    read_committed(c.text, text.size(), H5T_NATIVE_UCHAR, text.data(), w);
    std::vector<std::vector<double>> values;
    for (const auto& column : c.values) values.push_back(read_column<double>(column, n, H5T_NATIVE_DOUBLE, w));

    std::vector<Trial> trials(n);
    for (std::size_t i = 0; i < n; ++i) {
        Trial& t = trials[i];
        t.id = ids[i];
        t.deme = demes[i];
        t.generation = generations[i];
        if (statuses[i] < 0 || statuses[i] > static_cast<std::int8_t>(TrialStatus::pruned))
            throw StoreFailure("trial " + std::to_string(t.id) + " has an unknown status (corrupt file)");
        t.status = static_cast<TrialStatus>(statuses[i]);
        t.fom = foms[i];
        t.exit_code = exit_codes[i];
        t.signal = signals[i];
        t.start_time = starts[i];
        t.end_time = ends[i];
        t.worker = workers[i];
        t.steps = steps[i];
        if (parents[i] < no_parent)
            throw StoreFailure("trial " + std::to_string(t.id) + " has parent " + std::to_string(parents[i]) +
                               " (corrupt file)");
        if (parents[i] != no_parent) t.parent = static_cast<TrialId>(parents[i]);
        t.member = members[i];
        if (repeats_of[i] < no_parent || (repeats_of[i] == no_parent) != (repeats[i] == 0) || repeats[i] < 0)
            throw StoreFailure("trial " + std::to_string(t.id) + " has repeat_of " + std::to_string(repeats_of[i]) +
                               " and repeat " + std::to_string(repeats[i]) + " (corrupt file)");
        if (repeats_of[i] != no_parent) t.repeat_of = static_cast<TrialId>(repeats_of[i]);
        t.repeat = repeats[i];
        t.host = text_at(text, host_offsets[i], host_lengths[i], t.id);
        t.message = text_at(text, message_offsets[i], message_lengths[i], t.id);
        t.values.resize(values.size());
        for (std::size_t p = 0; p < values.size(); ++p) {
            t.values[p] = values[p][i];
            const Parameter& parameter = cp.options.space[p];
            if (parameter.kind() == ParameterKind::choice &&
                !(t.values[p] >= 0 && t.values[p] < static_cast<double>(parameter.options().size()) &&
                  t.values[p] == std::floor(t.values[p])))
                throw StoreFailure("trial " + std::to_string(t.id) + " has no valid option of '" + parameter.flag() +
                                   "' (corrupt file)");
        }
    }
    return trials;
}

std::vector<IntermediateValue> read_intermediate(const OpenedCheckpoint& cp) {
    if (cp.format_version < 2) return {};
    const IntermediateColumns c = IntermediateColumns::open(cp.file);
    const hsize_t n = cp.commit.intermediate_count;
    const bool w = cp.swmr;
    const auto trials = read_column<std::uint64_t>(c.trial, n, H5T_NATIVE_UINT64, w);
    const auto steps = read_column<int>(c.step, n, H5T_NATIVE_INT, w);
    const auto values = read_column<double>(c.value, n, H5T_NATIVE_DOUBLE, w);
    const auto times = read_column<double>(c.time, n, H5T_NATIVE_DOUBLE, w);
    const auto finished_before = read_column<std::uint64_t>(c.finished_before, n, H5T_NATIVE_UINT64, w);
    std::vector<IntermediateValue> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = {trials[i], steps[i], values[i], times[i], finished_before[i]};
    return out;
}

}  // namespace hpo::store
