// Which checkpoint directories stay, and their removal (see checkpoint_keeper.hpp).
#include "checkpoint_keeper.hpp"

#include <system_error>
#include <utility>
#include <vector>

#include "hpo/exec/checkpoint_dir.hpp"

namespace hpo {

namespace fs = std::filesystem;

CheckpointKeeper::CheckpointKeeper(const Strategy& strategy, Settings settings)
    : strategy_(strategy), settings_(std::move(settings)) {}

std::set<TrialId> CheckpointKeeper::live() const {
    std::set<TrialId> ids = live_now();
    ids.insert(committed_.begin(), committed_.end());
    return ids;
}

std::set<TrialId> CheckpointKeeper::live_now() const {
    std::set<TrialId> ids;
    for (const TrialId id : strategy_.inheritable()) ids.insert(id);
    for (const Proposal& proposal : strategy_.pending()) {
        ids.insert(proposal.id);
        if (proposal.parent) ids.insert(*proposal.parent);
    }
    if (settings_.best) ids.insert(*settings_.best);
    return ids;
}

// Called right after the recorder had its turn: a commit it just made saved the strategy as it
// is now, so the live set now is the one a resume would start from.
void CheckpointKeeper::note_commit() {
    if (!settings_.commits) return;
    const std::size_t commits = settings_.commits();
    if (commits == commits_seen_) return;
    commits_seen_ = commits;
    committed_ = live_now();
}

void CheckpointKeeper::remove(const fs::path& path) {
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec && settings_.warn) {
        settings_.warn("cannot remove the checkpoint directory " + path.string() + " (--keep-checkpoints live): " +
                       ec.message());
    }
}

void CheckpointKeeper::sweep() {
    const std::set<TrialId> keep = live();
    for (auto it = kept_.begin(); it != kept_.end();) {
        if (keep.count(*it)) {
            ++it;
            continue;
        }
        remove(checkpoint_dir_of(settings_.root, *it));
        it = kept_.erase(it);  // tried once: a directory that cannot be removed is warned about once
    }
}

void CheckpointKeeper::on_start(const Strategy&, const WorkerLayout&) {
    if (settings_.commits) commits_seen_ = settings_.commits();
    committed_ = live_now();  // a new run's, or the resumed commit's
    std::error_code ec;
    fs::directory_iterator it(settings_.root, ec);
    if (ec) {
        if (ec != std::errc::no_such_file_or_directory && settings_.warn) {
            settings_.warn("cannot list the checkpoint root " + settings_.root.string() + ": " + ec.message());
        }
        return;
    }
    std::vector<std::string> names;  // listed whole before anything is removed
    for (; it != fs::directory_iterator(); it.increment(ec)) names.push_back(it->path().filename().string());
    const std::set<TrialId> keep = live();
    for (const std::string& name : names) {
        if (name.starts_with(partial_checkpoint_prefix)) {
            remove(settings_.root / name);  // a copy a killed worker left half made: no worker runs yet
        } else if (const auto id = checkpoint_trial_of(name)) {
            if (keep.count(*id)) {
                kept_.insert(*id);
            } else {
                remove(settings_.root / name);
            }
        }
    }
}

void CheckpointKeeper::on_trial(const Trial& trial, const RunResult& so_far) {
    kept_.insert(trial.id);
    if (so_far.best) settings_.best = so_far.best->id;
    note_commit();
    sweep();
}

void CheckpointKeeper::on_tick() {
    const std::size_t before = commits_seen_;
    note_commit();
    if (commits_seen_ != before) sweep();  // the commit may free what the older one held
}

void CheckpointKeeper::on_finish(const RunResult& result) {
    if (result.best) settings_.best = result.best->id;
    note_commit();
    sweep();
}

}  // namespace hpo
