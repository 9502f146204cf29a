// The confirmation options: their table and their checks.
#include "hpo/config/confirm_options.hpp"

#include <stdexcept>

namespace hpo {

const OptionTable<ConfirmOptions>& ConfirmOptions::table() {
    using O = ConfirmOptions;
    // A budget: a resume may raise them (lowering is refused, see check_resumable).
    static const OptionTable<O> rows = {
        option(&O::confirm_top, "confirm_top", "confirm-top", "K",
               "evaluate the K best configurations again and choose the best by its mean; 0 = off", true),
        option(&O::confirm_repeats, "confirm_repeats", "confirm-repeats", "R",
               "more evaluations of each of the K best (the kernel gets HPO_REPEAT, @repeat: 1..R)", true),
    };
    return rows;
}

void ConfirmOptions::check() const {
    if (confirm_top < 0) throw std::invalid_argument("confirm_top must be >= 0, 0 for none (got " + std::to_string(confirm_top) + ")");
    if (confirm_repeats < 0)
        throw std::invalid_argument("confirm_repeats must be >= 1 (got " + std::to_string(confirm_repeats) + ")");
    if (confirm_top > 0 && confirm_repeats == 0)
        throw std::invalid_argument("confirm_repeats must be >= 1 with confirm_top " + std::to_string(confirm_top) +
                                    " (got 0; confirm_top 0 turns confirmation off)");
}

std::string ConfirmOptions::text(OptionStyle style) const {
    if (!enabled()) return "none";
    return describe_fields(*this, table(), style);
}

}  // namespace hpo
