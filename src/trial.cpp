// Trial statuses as text, and the loss every strategy minimizes.
#include "hpo/trial.hpp"

#include <array>
#include <cmath>
#include <utility>

namespace hpo {
namespace {

constexpr std::array<std::pair<TrialStatus, std::string_view>, 7> status_names{{
    {TrialStatus::ok, "ok"},
    {TrialStatus::failed, "failed"},
    {TrialStatus::crashed, "crashed"},
    {TrialStatus::timeout, "timeout"},
    {TrialStatus::no_fom, "no_fom"},
    {TrialStatus::bad_fom, "bad_fom"},
    {TrialStatus::pruned, "pruned"},
}};

}  // namespace

std::string_view to_string(TrialStatus status) {
    for (const auto& [s, name] : status_names)
        if (s == status) return name;
    return "unknown";
}

std::optional<TrialStatus> trial_status_from_string(std::string_view text) {
    for (const auto& [s, name] : status_names)
        if (name == text) return s;
    return std::nullopt;
}

double loss_of(const Trial& trial, bool maximize) {
    // A NaN FoM cannot come with an ok status (it is bad_fom), but if it does it must not win.
    if (!trial.ok() || std::isnan(trial.fom)) return std::numeric_limits<double>::infinity();
    return maximize ? -trial.fom : trial.fom;
}

bool better_trial(const Trial& a, const Trial& b, bool maximize) {
    const double la = loss_of(a, maximize), lb = loss_of(b, maximize);
    if (la != lb) return la < lb;
    return a.id < b.id;
}

}  // namespace hpo
