// When the checkpoint is committed (see checkpoint_recorder.hpp).
#include "checkpoint_recorder.hpp"

#include <algorithm>

namespace hpo {

namespace {

// The wait after the first commit; each later wait doubles, up to the interval.
constexpr std::chrono::duration<double> first_wait{1.0};

}  // namespace

CheckpointRecorder::CheckpointRecorder(CheckpointWriter& writer, const Strategy& strategy, double interval_seconds)
    : writer_(writer), strategy_(strategy), interval_(interval_seconds) {}

bool CheckpointRecorder::due() const { return std::chrono::steady_clock::now() - last_commit_ >= wait_; }

// The state is saved with the trials it has seen, so a restart never tells a trial twice nor
// misses one: the restored strategy and the stored table always agree.
void CheckpointRecorder::commit() {
    writer_.set_strategy_state(strategy_.save_state());
    writer_.flush();
    ++commits_;
    last_commit_ = std::chrono::steady_clock::now();
    boundary_ = false;
    wait_ = std::min(interval_, wait_ == wait_.zero() ? first_wait : 2 * wait_);
}

void CheckpointRecorder::on_trial(const Trial& trial, const RunResult&) {
    writer_.append(trial);
    if (boundary_ || due()) commit();
}

// Staged only: a commit per value would cost a flush per FoM line; the timer commits them.
void CheckpointRecorder::on_intermediate(const IntermediateValue& value) { writer_.append_intermediate(value); }

void CheckpointRecorder::on_tick() {
    if ((writer_.staged_count() > 0 || writer_.staged_intermediate_count() > 0) && due()) commit();
}

void CheckpointRecorder::on_finish(const RunResult& result) {
    writer_.set_finished(!result.interrupted);
    commit();
    writer_.close();
}

}  // namespace hpo
