// FNV-1a 64-bit hash: the checksums of commit records and of the strategy state.
#pragma once

#include <cstdint>
#include <string_view>

namespace hpo::store {

inline constexpr std::uint64_t fnv_offset = 14695981039346656037ull;

inline std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = fnv_offset) {
    for (unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

}  // namespace hpo::store
