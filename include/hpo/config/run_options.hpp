// Everything one optimization run is configured by: a plain struct the CLI, the config file and
// the C++ driver API all fill in. The library never parses argv. config/ is the layer of value
// types below dist/, store/ and run/: each of them may include it, it includes none of them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hpo/exec/command_line.hpp"
#include "hpo/exec/kernel.hpp"
#include "hpo/space/search_space.hpp"
#include "hpo/strategy/factory.hpp"

namespace hpo {

// What to do with the checkpoint file: start a new one (an existing file is an error, never
// overwritten silently), continue the run it holds, or replace it with a new run.
enum class CheckpointMode { create, resume, replace };

struct RunOptions {
    SearchSpace space;
    StrategyConfig strategy;     // seeds and `maximize` inside it are set from the fields below
    KernelConfig kernel;
    ArgStyle arg_style = ArgStyle::equals;
    bool maximize = false;
    std::uint64_t seed = 0;
    std::size_t parallel = 0;    // local mode: concurrent evaluations, 0 = the machine's cores
    std::string log_file;        // the text log (`--log`), empty for none
    bool progress = true;        // progress lines on stderr while it runs
    bool quiet = false;          // no summary on stdout at the end either

    // The HDF5 checkpoint: every trial, the configuration and the strategy's state.
    std::string checkpoint = "hpo.h5";    // empty: no checkpoint
    double checkpoint_interval = 1.0;     // seconds a result may wait before it is committed
    CheckpointMode checkpoint_mode = CheckpointMode::create;
};

// Validates what the types alone do not (an empty command, an empty space, a zero budget...),
// and copies seed and maximize into the strategy options. Throws std::invalid_argument naming
// the bad option.
RunOptions finalize(RunOptions options);

}  // namespace hpo
