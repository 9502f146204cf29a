// The checkpoint's layout: creating it, opening it, and its commit records.
#include "checkpoint_schema.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "fnv.hpp"
#include "h5_attributes.hpp"
#include "h5_columns.hpp"
#include "h5_types.hpp"
#include "hpo/store/checkpoint.hpp"

namespace hpo::store {
namespace {

template <typename T>
void put_le(std::string& out, T value) {
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    // Hash the little-endian encoding, whatever the host, as the file stores it.
    if constexpr (std::endian::native == std::endian::big)
        for (std::size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
    out.append(reinterpret_cast<const char*>(bytes), sizeof(T));
}

// Format 1's record; format 2 adds intermediate_count (8 bytes) before record_hash.
constexpr std::size_t commit_record_size_v1 = 58;

std::size_t commit_record_size(int format_version) {
    return format_version >= 2 ? commit_record_size_v1 + 8 : commit_record_size_v1;
}

// The record as the file stores it: packed, little-endian, in the order of the members. Written and
// read with the file type itself, so HDF5 converts nothing (a compound conversion would allocate
// its 1 MiB conversion buffers on every commit).
std::string encode(const CommitRecord& r, bool with_hash, int format_version) {
    std::string bytes;
    put_le(bytes, r.sequence);
    put_le(bytes, r.trial_count);
    put_le(bytes, r.text_length);
    put_le(bytes, r.state_slot);
    put_le(bytes, r.state_length);
    put_le(bytes, r.state_hash);
    put_le(bytes, r.finished);
    put_le(bytes, r.time);
    if (format_version >= 2) put_le(bytes, r.intermediate_count);
    if (with_hash) put_le(bytes, r.record_hash);
    return bytes;
}

template <typename T>
T get_le(const unsigned char*& at) {
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, at, sizeof(T));
    if constexpr (std::endian::native == std::endian::big)
        for (std::size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
    at += sizeof(T);
    T value;
    std::memcpy(&value, bytes, sizeof(T));
    return value;
}

CommitRecord decode(const unsigned char* at, int format_version) {
    CommitRecord r;
    r.sequence = get_le<std::uint64_t>(at);
    r.trial_count = get_le<std::uint64_t>(at);
    r.text_length = get_le<std::uint64_t>(at);
    r.state_slot = get_le<std::int8_t>(at);
    r.state_length = get_le<std::uint64_t>(at);
    r.state_hash = get_le<std::uint64_t>(at);
    r.finished = get_le<std::int8_t>(at);
    r.time = get_le<double>(at);
    if (format_version >= 2) r.intermediate_count = get_le<std::uint64_t>(at);
    r.record_hash = get_le<std::uint64_t>(at);
    return r;
}

// An HDF5 object header message holds at most 64 KiB: an enum datatype (its member names, each
// with its value) or an attribute beyond that cannot be created. An enum whose names take up to
// 32 KiB fits with room to spare.
constexpr std::size_t max_enum_names_bytes = 32768;

bool fits_an_enum(const std::vector<std::string>& options) {
    std::size_t bytes = 0;
    for (const auto& option : options) bytes += option.size() + 1 + sizeof(std::uint32_t);
    return bytes <= max_enum_names_bytes;
}

void write_parameter_attributes(hid_t column, const Parameter& p, std::size_t index) {
    write_string_attr(column, "flag", p.flag());
    write_int_attr(column, "index", static_cast<std::int64_t>(index));
    write_string_attr(column, "spec", p.describe());
    switch (p.kind()) {
    case ParameterKind::float_range: write_string_attr(column, "kind", "float"); break;
    case ParameterKind::int_range: write_string_attr(column, "kind", "int"); break;
    case ParameterKind::choice: write_string_attr(column, "kind", "choice"); break;
    }
    if (p.kind() == ParameterKind::choice) {
        write_strings_attr(column, "options", p.options());
    } else {
        write_double_attr(column, "lo", p.lo());
        write_double_attr(column, "hi", p.hi());
        write_bool_attr(column, "log", p.is_log());
    }
}

}  // namespace

std::uint64_t record_hash_of(const CommitRecord& r, int format_version) {
    return fnv1a(encode(r, false, format_version));
}

bool record_is_valid(const CommitRecord& r, int format_version) {
    return r.sequence != 0 && r.record_hash == record_hash_of(r, format_version) && r.state_slot >= -1 &&
           r.state_slot <= 1;
}

Handle commit_file_type(int format_version) {
    Handle boolean = bool_type();
    Handle type = type_handle(H5Tcreate(H5T_COMPOUND, commit_record_size(format_version)), "commit type");
    std::size_t at = 0;
    auto add = [&](const char* name, hid_t member) {
        if (H5Tinsert(type, name, at, member) < 0) fail_h5(std::string("commit member ") + name);
        at += H5Tget_size(member);
    };
    add("sequence", H5T_STD_U64LE);
    add("trial_count", H5T_STD_U64LE);
    add("text_length", H5T_STD_U64LE);
    add("state_slot", H5T_STD_I8LE);
    add("state_length", H5T_STD_U64LE);
    add("state_hash", H5T_STD_U64LE);
    add("finished", boolean);
    add("time", H5T_IEEE_F64LE);
    if (format_version >= 2) add("intermediate_count", H5T_STD_U64LE);
    add("record_hash", H5T_STD_U64LE);
    return type;
}

void write_commit(hid_t commit_dataset, const CommitRecord& record) {
    Handle type = commit_file_type(checkpoint_format_version);
    const std::string bytes = encode(record, true, checkpoint_format_version);
    write_rows(commit_dataset, record.sequence % 2, 1, type, bytes.data());
}

CommitRecord read_latest_commit(hid_t commit_dataset, bool closed_cleanly, int format_version) {
    Handle space = space_handle(H5Dget_space(commit_dataset), "commit dataspace");
    if (H5Sget_simple_extent_npoints(space) != 2) throw StoreFailure("dataset /commit does not hold 2 records");
    Handle stored = type_handle(H5Dget_type(commit_dataset), "commit type");
    Handle type = commit_file_type(format_version);
    if (H5Tequal(stored, type) <= 0)
        throw StoreFailure("dataset /commit is not of the commit record type of format version " +
                           std::to_string(format_version));
    const std::size_t size = commit_record_size(format_version);
    std::vector<unsigned char> bytes(2 * size);
    read_rows(commit_dataset, 0, 2, type, bytes.data());
    std::optional<CommitRecord> best;
    for (int i = 0; i < 2; ++i) {
        const unsigned char* at = bytes.data() + i * size;
        const CommitRecord r = decode(at, format_version);
        const bool valid = record_is_valid(r, format_version);
        if (valid && (!best || r.sequence > best->sequence)) best = r;
        // Only a writer killed while writing a record leaves it torn; in a file closed cleanly a
        // record is valid or was never written (all zeros), anything else is damage. (Falling
        // back to the other record would show an older commit as if it were the last.)
        const bool never_written = std::all_of(at, at + size, [](unsigned char b) { return b == 0; });
        if (closed_cleanly && !valid && !never_written)
            throw StoreFailure("commit record " + std::to_string(i) + " of /commit does not match its checksum "
                               "(corrupt file)");
    }
    if (!best) throw StoreFailure("no valid commit record in /commit (corrupt file)");
    return *best;
}

Handle file_access_plist() {
    Handle fapl = plist_handle(H5Pcreate(H5P_FILE_ACCESS), "file access list");
    // SWMR needs the 1.10 file format (superblock 3, checksummed metadata).
    if (H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST) < 0) fail_h5("file format bounds");
    // Lock where the file system can, carry on where it cannot (Lustre mounted without flock).
    if (H5Pset_file_locking(fapl, true, true) < 0) fail_h5("file locking");
    // Every allocation starts on a 4 KiB page. SWMR orders HDF5's metadata writes so that the file
    // is consistent between any two of them, but a writer killed inside one write() may leave it
    // torn at a page boundary (the kernel checks for fatal signals between pages), and a torn
    // checksummed block (an object header rewritten with a new extent) is unreadable. Metadata
    // blocks are smaller than a page, so aligned ones are written whole or not at all. It costs
    // about 10% of file size.
    if (H5Pset_alignment(fapl, 1, 4096) < 0) fail_h5("alignment");
    // A SWMR reader retries a block whose checksum fails (a write in progress), sleeping 1 ns,
    // 2 ns, 4 ns... By default 100 times: over a truncated or damaged file that never ends. 20
    // tries wait about a millisecond in all, plenty for one block write; the reader's own retries
    // (checkpoint_reader.cpp) cover longer races.
    if (H5Pset_metadata_read_attempts(fapl, 20) < 0) fail_h5("read attempts");
    return fapl;
}

std::string column_name(const std::string& flag) {
    std::string out;
    for (char c : flag) {
        if (c == '%') out += "%25";
        else if (c == '/') out += "%2F";
        else out += c;
    }
    if (out == ".") out = "%2E";  // "." names the group itself
    return out;
}

TrialColumns TrialColumns::open(hid_t file, const SearchSpace& space, bool need_choices, int format_version) {
    Handle trials = open_group(file, names::trials);
    TrialColumns c;
    c.id = open_column(trials, "id");
    c.deme = open_column(trials, "deme");
    c.generation = open_column(trials, "generation");
    c.status = open_column(trials, "status");
    c.fom = open_column(trials, "fom");
    c.exit_code = open_column(trials, "exit_code");
    c.signal = open_column(trials, "signal");
    c.start_time = open_column(trials, "start_time");
    c.end_time = open_column(trials, "end_time");
    c.worker = open_column(trials, has_link(trials, names::worker_before_rename) && !has_link(trials, names::worker)
                                       ? names::worker_before_rename
                                       : names::worker);
    if (format_version >= 2) c.steps = open_column(trials, names::steps);
    if (format_version >= 3) {
        c.parent = open_column(trials, names::parent);
        c.member = open_column(trials, names::member);
    }
    if (format_version >= 4) {
        c.repeat_of = open_column(trials, names::repeat_of);
        c.repeat = open_column(trials, names::repeat);
    }
    c.host_offset = open_column(trials, "host_offset");
    c.host_length = open_column(trials, "host_length");
    c.message_offset = open_column(trials, "message_offset");
    c.message_length = open_column(trials, "message_length");
    c.text = open_column(trials, names::text);
    Handle values = open_group(trials, names::values);
    for (const auto& p : space) c.values.push_back(open_column(values, column_name(p.flag())));
    c.choices.resize(space.size());
    if (need_choices) {
        Handle choices = open_group(trials, names::choices);
        // A choice whose options are too many to name in an enum has no column (see create_layout).
        for (std::size_t i = 0; i < space.size(); ++i)
            if (space[i].kind() == ParameterKind::choice && has_link(choices, column_name(space[i].flag())))
                c.choices[i] = open_column(choices, column_name(space[i].flag()));
    }
    return c;
}

IntermediateColumns IntermediateColumns::open(hid_t file) {
    Handle group = open_group(file, names::intermediate);
    auto column = [&](const char* name, hid_t type, const char* type_name) {
        Handle c = open_column(group, name);
        // Read through HDF5's conversions, a float step or a text column would turn into numbers
        // that were never written: the types are checked, as h5py users rely on them too.
        Handle stored = type_handle(H5Dget_type(c), "type of " + object_name(c));
        if (H5Tequal(stored, type) <= 0)
            throw StoreFailure("dataset " + object_name(c) + " is not " + type_name + " (corrupt file)");
        return c;
    };
    IntermediateColumns c;
    c.trial = column("trial", H5T_STD_U64LE, "uint64");
    c.step = column("step", H5T_STD_I32LE, "int32");
    c.value = column("value", H5T_IEEE_F64LE, "float64");
    c.time = column("time", H5T_IEEE_F64LE, "float64");
    c.finished_before = column("finished_before", H5T_STD_U64LE, "uint64");
    return c;
}

void create_layout(hid_t file, const SearchSpace& space) {
    Handle trials = create_group(file, names::trials);
    Handle status = status_type();
    const struct {
        const char* name;
        hid_t type;
    } fixed[] = {
        {"id", H5T_STD_U64LE},          {"deme", H5T_STD_I32LE},       {"generation", H5T_STD_I32LE},
        {"status", status},             {"fom", H5T_IEEE_F64LE},       {"exit_code", H5T_STD_I32LE},
        {"signal", H5T_STD_I32LE},      {"start_time", H5T_IEEE_F64LE}, {"end_time", H5T_IEEE_F64LE},
        {names::worker, H5T_STD_I32LE},  {"host_offset", H5T_STD_U64LE}, {"host_length", H5T_STD_U32LE},
        {"message_offset", H5T_STD_U64LE}, {"message_length", H5T_STD_U32LE}, {names::steps, H5T_STD_I32LE},
        {names::parent, H5T_STD_I64LE},  {names::member, H5T_STD_I32LE},
        {names::repeat_of, H5T_STD_I64LE}, {names::repeat, H5T_STD_I32LE},
    };
    for (const auto& column : fixed) create_column(trials, column.name, column.type, trial_chunk_rows);
    create_column(trials, names::text, H5T_STD_U8LE, text_chunk_bytes);

    Handle values = create_group(trials, names::values);
    Handle choices = create_group(trials, names::choices);
    for (std::size_t i = 0; i < space.size(); ++i) {
        const Parameter& p = space[i];
        // A large `options` attribute (over 64 KiB) goes to dense storage by itself in this format.
        Handle column = create_column(values, column_name(p.flag()), H5T_IEEE_F64LE, trial_chunk_rows);
        write_parameter_attributes(column, p, i);
        if (p.kind() == ParameterKind::choice && fits_an_enum(p.options())) {
            Handle type = choice_type(p.options());
            Handle names_column = create_column(choices, column_name(p.flag()), type, trial_chunk_rows);
            write_string_attr(names_column, "flag", p.flag());
            write_int_attr(names_column, "index", static_cast<std::int64_t>(i));
        }
    }

    Handle intermediate = create_group(file, names::intermediate);
    const std::pair<const char*, hid_t> intermediate_columns[] = {
        {"trial", H5T_STD_U64LE}, {"step", H5T_STD_I32LE},           {"value", H5T_IEEE_F64LE},
        {"time", H5T_IEEE_F64LE}, {"finished_before", H5T_STD_U64LE},
    };
    for (const auto& [name, type] : intermediate_columns) create_column(intermediate, name, type, trial_chunk_rows);

    Handle state = create_group(file, names::strategy_state);
    create_column(state, "slot0", H5T_STD_U8LE, state_chunk_bytes);
    create_column(state, "slot1", H5T_STD_U8LE, state_chunk_bytes);

    // Two records, allocated now and overwritten in place: commits never allocate.
    Handle commit_type = commit_file_type(checkpoint_format_version);
    const hsize_t dims[1] = {2};
    Handle space_id = space_handle(H5Screate_simple(1, dims, nullptr), "commit dataspace");
    Handle dcpl = plist_handle(H5Pcreate(H5P_DATASET_CREATE), "dataset creation list");
    if (H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY) < 0) fail_h5("commit allocation");
    Handle commit = dataset_handle(
        H5Dcreate2(file, names::commit, commit_type, space_id, H5P_DEFAULT, dcpl, H5P_DEFAULT),
        "creating /commit");
    CommitRecord first;
    first.sequence = 1;
    first.time = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    first.record_hash = record_hash_of(first, checkpoint_format_version);
    write_commit(commit, first);
}

}  // namespace hpo::store
