// `hpo export --format json`: a trial table as JSON.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "hpo/store/trial_table.hpp"

namespace hpo::cli {

// An array with one object per row, keys the column names in column order, one object per line.
// Integers and finite numbers are JSON numbers, non-finite numbers (a NaN FoM) null, text cells
// JSON strings.
void write_json(std::ostream& out, const TrialTable& table);

// `text` as a JSON string literal, quotes included: `"` `\` and control characters escaped;
// bytes that are not valid UTF-8 (a kernel's stderr may hold anything) become U+FFFD, so that
// the output is always valid JSON.
std::string json_string(std::string_view text);

}  // namespace hpo::cli
