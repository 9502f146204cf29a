// Slurm hostlist syntax (`n[1-4,7],gpu[01-02]`): expanding it into host names and back.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hpo {

class HostlistError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Every host the list names, in its order: comma-separated items, each with any number of
// bracket groups of numbers and ranges (`rack[1-2]n[01-02]` is their product, the last group
// varying fastest). A range keeps the zero padding of its start (`n[08-10]`: n08 n09 n10).
// Whitespace around items is ignored. Throws HostlistError on a malformed list.
std::vector<std::string> expand_hostlist(std::string_view hostlist);

// The shortest-looking list that expands to exactly `hosts`, in the same order: neighbours
// sharing a prefix and numbered upwards by one become a range (n1 n2 n3 n7 -> n[1-3,7]).
std::string compress_hostlist(const std::vector<std::string>& hosts);

}  // namespace hpo
