// Turning the kernel command and a proposal into the argv the kernel receives (no shell involved).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/space/search_space.hpp"

namespace hpo {

// `--lr=0.001` (equals, the seed's style) or `--lr 0.001` (space: two argv elements).
enum class ArgStyle { equals, space };

std::string_view to_string(ArgStyle style);
ArgStyle arg_style_from_string(std::string_view text);  // throws std::invalid_argument

class CommandLineError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Splits a command with POSIX-shell-like quoting: whitespace separates words, '...' keeps
// everything literally, "..." keeps everything but \" \\ \$ \` escapes, a backslash outside
// quotes escapes the next character. No expansion of any kind. Throws CommandLineError on an
// unterminated quote or an empty command.
std::vector<std::string> split_command(std::string_view command);

// The inverse of split_command, and what a POSIX shell reads back as the same words: every text
// that shows a user a command or an argument (the run log, the summary, `hpo show`, sbatch
// scripts) goes through these two, so that what is printed can be pasted. A word of only
// characters no shell treats specially stays as it is; any other is single-quoted, a quote in it
// written '\'' (`it's` -> 'it'\''s'); the empty word is ''.
std::string shell_quote(std::string_view word);
// The words quoted and joined by single spaces: split_command(shell_join(words)) == words.
std::string shell_join(const std::vector<std::string>& words);

// The hyperparameter arguments appended to the kernel command: each value one argv element.
std::vector<std::string> hyperparameter_args(const SearchSpace& space, const Point& values, ArgStyle style);

}  // namespace hpo
