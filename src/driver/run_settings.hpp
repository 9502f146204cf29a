// The settings every strategy's Options struct repeats, collected for hpo::Optimizer.
#pragma once

#include "hpo/driver/optimizer.hpp"

namespace hpo {

template <class Options>
RunSettings settings_of(const Options& options) {
    return RunSettings{options.seed,   options.maximize, options.log_fn, options.checkpoint_fn,
                       options.resume, options.verbose,  options.parallel};
}

}  // namespace hpo
