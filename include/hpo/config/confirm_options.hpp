// Confirmation (--confirm-top K --confirm-repeats R, docs/confirm.md): the K best configurations
// are evaluated R more times and the best is chosen by its mean. Declared once, as a table (see
// hpo/config/option_table.hpp): the command line, config files, the checkpoint, the driver's
// RunSettings and the Python keywords all come from it.
#pragma once

#include <string>
#include <string_view>

#include "hpo/config/option_table.hpp"

namespace hpo {

struct ConfirmOptions {
    static constexpr std::string_view title = "Confirmation (evaluating the best configurations again)";

    int confirm_top = 0;      // K: how many of the best configurations; 0 = no confirmation
    int confirm_repeats = 2;  // R: more evaluations of each (with K > 0)

    bool enabled() const { return confirm_top > 0; }
    // Throws std::invalid_argument naming the first bad option (by keyword).
    void check() const;
    static const OptionTable<ConfirmOptions>& table();
    // "none", or every option in `style` (describe_fields): for `hpo show` and the log.
    std::string text(OptionStyle style) const;
    friend bool operator==(const ConfirmOptions&, const ConfirmOptions&) = default;
};

}  // namespace hpo
