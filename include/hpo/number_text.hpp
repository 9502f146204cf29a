// Numbers as people read them: the shortest text that reads back as the same double.
#pragma once

#include <string>

namespace hpo {

// "120" (not "120.000000"), "0.05" (not "0.050000000000000003"), "1e-05", "inf", "-inf", "nan":
// std::to_chars's shortest round-trip form, so that a value printed in a log or a summary can be
// typed back as an option and mean the same number.
std::string number_text(double value);

}  // namespace hpo
