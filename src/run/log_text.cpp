// How the text logs write a FoM and a time (see log_text.hpp).
#include "log_text.hpp"

#include <cmath>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace hpo {

std::string fom_text(double fom) {
    if (std::isnan(fom)) return "-";
    std::ostringstream out;
    out << std::setprecision(6) << fom;
    return out.str();
}

std::string timestamp() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace hpo
