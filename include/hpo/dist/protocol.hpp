// The whole coordinator-worker conversation in one place: its tags and their names, its messages,
// and how every type that crosses the wire is serialized (Boost.Serialization; Boost.MPI itself
// stays in src/dist/mpi_channel.hpp). A new message or a new field of a message starts here.
#pragma once

#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/config/run_result.hpp"
#include "hpo/exec/kernel.hpp"
#include "hpo/prune/prune_options.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// ---- Who talks: rank 0 coordinates, ranks 1..N-1 are workers 0..N-2.
inline constexpr int coordinator_rank = 0;

// ---- What a message is: one tag per kind, so that a receive can never take one kind for another.
// Threads in one process (LocalTransport) pass the same messages without tags.
enum class Tag : int {
    order = 1,     // coordinator -> worker: a WorkOrder
    result = 2,    // worker -> coordinator: a WorkResult
    stop = 3,      // coordinator -> worker: stop the running kernel (no payload); answered by
                   // the order's WorkResult, marked `stopped` unless the kernel finished first
    shutdown = 4,  // coordinator -> worker: leave the worker loop (no payload); the worker answers
                   // with the same tag as it leaves, so that rank 0 knows it will take part in the
                   // job's end (a final broadcast, MPI_Finalize)
    heartbeat = 5, // worker -> coordinator: still alive while it runs an order (no payload, no
                   // answer); a busy worker silent for too long is lost (worker_watch.hpp)
    progress = 6,  // worker -> coordinator: a Progress, the intermediate FoMs of its running trial
                   // that the pruner needs (--prune); every one is sent before the order's result
    prune = 7,     // coordinator -> worker: the TrialId to stop as pruned; answered by the order's
                   // WorkResult (status pruned, unless the kernel finished first). A prune for a
                   // trial the worker no longer runs is dropped.
};

inline constexpr std::array<Tag, 7> all_tags{Tag::order,     Tag::result,   Tag::stop, Tag::shutdown,
                                             Tag::heartbeat, Tag::progress, Tag::prune};

constexpr int tag_number(Tag tag) { return static_cast<int>(tag); }

// The tag a number stands for, none if it is no tag of this protocol.
std::optional<Tag> tag_from_number(int number);

// For logs and error messages: "order", "result", "stop", "shutdown", "heartbeat", "progress",
// "prune", or "unknown tag N".
std::string tag_name(int number);
inline std::string tag_name(Tag tag) { return tag_name(tag_number(tag)); }

// ---- The messages with a payload. (Before a job's first order, every rank also receives rank
// 0's KernelConfig and the WorkerLayout by broadcast; at its end, rank 0's RunResult.)

// Coordinator -> worker: evaluate this trial.
struct WorkOrder {
    TrialId trial_id = 0;
    int deme = 0;
    int generation = 0;
    std::vector<std::string> hyperparameter_args;
    std::optional<TrialId> parent;  // the proposal's: whose checkpoint directory it starts from
    int repeat = 0;                 // the proposal's: HPO_REPEAT and @repeat (0: an original trial)

    friend bool operator==(const WorkOrder&, const WorkOrder&) = default;
};

// Worker -> coordinator: how it went.
struct WorkResult {
    TrialId trial_id = 0;
    int worker = 0;        // the worker's index (MPI rank - 1 in an MPI job)
    std::string host;
    bool stopped = false;  // cancelled by a stop: not a result, the trial must be run again
    KernelOutcome outcome;
    // hpo could not start the kernel for its own reasons (exec/kernel.hpp: SetupError; the why is
    // outcome.message): not a result either, the trial stays pending and the run stops.
    bool setup_failed = false;
    // How many Tag::progress messages the worker sent for this order, all before this result: the
    // coordinator takes those it has not taken yet before the result, without looking for them.
    int progress_messages = 0;
};

// One intermediate FoM of a running trial: the n-th FoM line is step n.
struct StepValue {
    int step = 0;
    double value = 0;
    friend bool operator==(const StepValue&, const StepValue&) = default;
};

// Worker -> coordinator: intermediate FoMs of the trial it runs, oldest first, steps increasing
// (only those the pruner can use: progress_feed.hpp).
struct Progress {
    TrialId trial_id = 0;
    int worker = 0;
    std::vector<StepValue> values;
    friend bool operator==(const Progress&, const Progress&) = default;
};

// The trial a proposal became once its result arrived.
Trial make_trial(const Proposal& proposal, const WorkResult& result);

}  // namespace hpo

// ---- The wire format of every type above, and of those they carry. Every field, in
// declaration order; tests/unit/test_protocol.cpp round-trips each with no field at its default.
namespace boost::serialization {

// Boost 1.74 serializes boost::optional only: a std::optional goes as a flag and, if set, its value.
template <class Archive, class T>
void serialize_optional(Archive& ar, std::optional<T>& value) {
    bool has_value = value.has_value();
    ar& has_value;
    if constexpr (Archive::is_saving::value) {
        if (has_value) ar&* value;
    } else {
        value.reset();
        if (has_value) ar& value.emplace();
    }
}

template <class Archive>
void serialize(Archive& ar, hpo::WorkOrder& o, unsigned /*version*/) {
    ar& o.trial_id& o.deme& o.generation& o.hyperparameter_args;
    serialize_optional(ar, o.parent);
    ar& o.repeat;
}

template <class Archive>
void serialize(Archive& ar, hpo::StepValue& v, unsigned /*version*/) {
    ar& v.step& v.value;
}

template <class Archive>
void serialize(Archive& ar, hpo::Progress& p, unsigned /*version*/) {
    ar& p.trial_id& p.worker& p.values;
}

// Through its option table, as the checkpoint stores it: a new option needs no line here.
template <class Archive>
void save(Archive& ar, const hpo::PruneOptions& o, unsigned /*version*/) {
    std::vector<std::string> texts;
    for (const auto& field : hpo::PruneOptions::table()) texts.push_back(hpo::option_text(field.get(o)));
    ar& texts;
}

template <class Archive>
void load(Archive& ar, hpo::PruneOptions& o, unsigned /*version*/) {
    std::vector<std::string> texts;
    ar& texts;
    const auto& table = hpo::PruneOptions::table();
    for (std::size_t i = 0; i < table.size() && i < texts.size(); ++i) table[i].set_text(o, texts[i]);
}

template <class Archive>
void serialize(Archive& ar, hpo::PruneOptions& o, unsigned version) {
    split_free(ar, o, version);
}

template <class Archive>
void serialize(Archive& ar, hpo::KernelOutcome& o, unsigned /*version*/) {
    ar& o.status& o.fom& o.steps& o.exit_code& o.signal& o.start_time& o.end_time& o.message;
}

template <class Archive>
void serialize(Archive& ar, hpo::WorkResult& r, unsigned /*version*/) {
    ar& r.trial_id& r.worker& r.host& r.stopped& r.outcome& r.setup_failed& r.progress_messages;
}

template <class Archive>
void serialize(Archive& ar, hpo::KernelConfig& c, unsigned /*version*/) {
    ar& c.command& c.fom_prefix& c.timeout_seconds& c.kill_grace_seconds& c.run_dir;
    ar& c.stderr_tail_bytes& c.output_limit_bytes;
    ar& c.launcher& c.nodes_per_eval& c.launch_args;
    ar& c.echo_output& c.stage_paths& c.checkpoint_root;
}

template <class Archive>
void serialize(Archive& ar, hpo::LostWorker& w, unsigned /*version*/) {
    ar& w.worker& w.node;
    serialize_optional(ar, w.trial);
    ar& w.reason;
}

template <class Archive>
void serialize(Archive& ar, hpo::Trial& t, unsigned /*version*/) {
    ar& t.id& t.deme& t.generation& t.values;
    serialize_optional(ar, t.parent);
    ar& t.member;
    serialize_optional(ar, t.repeat_of);
    ar& t.repeat& t.status& t.fom& t.steps& t.exit_code& t.signal;
    ar& t.start_time& t.end_time& t.host& t.worker& t.message;
}

template <class Archive>
void serialize(Archive& ar, hpo::Confirmation& c, unsigned /*version*/) {
    ar& c.original& c.runs& c.mean& c.std& c.min& c.max& c.repeats& c.failed& c.rank;
}

// Boost 1.74 serializes boost::optional only: `best` goes as a flag and, if set, the trial.
template <class Archive>
void save(Archive& ar, const hpo::RunResult& r, unsigned /*version*/) {
    const bool has_best = r.best.has_value();
    ar& r.trials& has_best;
    if (has_best) ar&* r.best;
    ar& r.interrupted& r.stop_signal& r.workers& r.resumed_trials& r.coordinator_cpu_seconds& r.setup_error;
    ar& r.lost_workers;
    serialize_optional(ar, const_cast<std::optional<hpo::Confirmation>&>(r.confirmed));
}

template <class Archive>
void load(Archive& ar, hpo::RunResult& r, unsigned /*version*/) {
    bool has_best = false;
    ar& r.trials& has_best;
    r.best.reset();
    if (has_best) ar& r.best.emplace();
    ar& r.interrupted& r.stop_signal& r.workers& r.resumed_trials& r.coordinator_cpu_seconds& r.setup_error;
    ar& r.lost_workers;
    serialize_optional(ar, r.confirmed);
}

template <class Archive>
void serialize(Archive& ar, hpo::RunResult& r, unsigned version) {
    split_free(ar, r, version);
}

}  // namespace boost::serialization
