// What every strategy is given besides its own options: the run-wide settings it needs.
#pragma once

#include <cstdint>

namespace hpo {

struct SearchSettings {
    std::uint64_t seed = 0;  // every random choice comes from it
    bool maximize = false;   // higher FoM is better
};

}  // namespace hpo
