// `hpo export --format csv`: a trial table as CSV.
#pragma once

#include <iosfwd>

#include "hpo/store/trial_table.hpp"

namespace hpo::cli {

// A header line with the column names, then one line per row. Fields holding a comma, a double
// quote, a line break or leading/trailing white space are quoted as RFC 4180 says ("" for a
// quote inside); lines end in LF. Numbers are the shortest text that reads back the same;
// non-finite ones are `nan`, `inf`, `-inf`. Bytes are written as they are.
void write_csv(std::ostream& out, const TrialTable& table);

// One CSV field, quoted if needed.
std::string csv_field(const std::string& text);

}  // namespace hpo::cli
