// How the text logs (the run's log and the per-deme logs) write a FoM and a time.
#pragma once

#include <string>

namespace hpo {

// Six significant digits; "-" for a NaN (no FoM).
std::string fom_text(double fom);

// The current UTC time as 2026-12-04T21:55:37Z.
std::string timestamp();

}  // namespace hpo
