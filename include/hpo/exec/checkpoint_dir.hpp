// Each trial's checkpoint directory (<checkpoint root>/<trial id>): made before its kernel starts,
// as a copy of its parent trial's, and the names the run's clean-up goes by (docs/checkpoint-dirs.md).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/trial.hpp"

namespace hpo {

// A copy under way is named <root>/<partial_checkpoint_prefix><trial id>-<pid> until it is
// complete and renamed to <root>/<trial id>: a directory named by a trial id is always whole.
inline constexpr std::string_view partial_checkpoint_prefix = ".partial-";

// <root>/<id>.
std::filesystem::path checkpoint_dir_of(const std::filesystem::path& root, TrialId id);

// The trial id a root's entry is the directory of; none for any other name (a partial copy, a
// user's file).
std::optional<TrialId> checkpoint_trial_of(std::string_view entry_name);

// How preparing a trial's directory went. `failure` set: the trial cannot run and is a failed
// trial with that message (its parent's directory is missing, or holds what cannot be copied).
struct PreparedCheckpoint {
    std::filesystem::path dir;  // absolute
    std::string failure;
};

// Makes <root>/<id> for a trial about to run: whatever an earlier run of the same trial left
// there is removed (a trial run again after a resume starts clean), and the directory is created
// empty, or, with a parent, as a copy of <root>/<parent> (files, subdirectories, symbolic links
// as links; file modes kept). Each file is its own copy (a reflink where the filesystem can,
// else copy_file_range, else read/write), never a hard link. The copy is made under a partial
// name and renamed into place. Throws SetupError (kernel.hpp) when hpo cannot do it for its own
// reasons (no space, I/O errors, the root not writable); the partial copy is removed then.
PreparedCheckpoint prepare_checkpoint_dir(const std::filesystem::path& root, TrialId id,
                                          std::optional<TrialId> parent);

// The kernel's words with every occurrence of checkpoint_token (kernel_config.hpp), whole word
// or inside one ("--ckpt=@checkpoint/model.pt"), replaced by `dir`.
std::vector<std::string> with_checkpoint_dir(std::vector<std::string> words, const std::string& dir);

}  // namespace hpo
