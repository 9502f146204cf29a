// Trials and intermediate values as tables, for `hpo export` and the Python package.
#include "hpo/store/trial_table.hpp"

#include "hpo/confirmation.hpp"
#include "hpo/store/intermediate_values.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace hpo {

namespace {

Cell integer(long long value) { return {Cell::Kind::integer, std::to_string(value), 0}; }
Cell number(double value) { return {Cell::Kind::number, {}, value}; }
Cell text(std::string value) { return {Cell::Kind::text, std::move(value), 0}; }

Cell parameter_cell(const Parameter& parameter, double native) {
    switch (parameter.kind()) {
        case ParameterKind::int_range: return integer(std::llround(native));
        case ParameterKind::float_range: return number(native);
        case ParameterKind::choice: return text(parameter.format(native));
    }
    return number(native);
}

const std::vector<std::string> leading_columns = {"id", "deme", "generation", "member", "parent", "repeat_of", "repeat"};
const std::vector<std::string> trailing_columns = {"fom",        "steps",    "status", "exit_code", "signal",
                                                   "start_time", "end_time", "host",   "worker",    "message",
                                                   "confirm_rank", "confirm_mean", "confirm_std", "confirm_min",
                                                   "confirm_max",  "confirm_runs", "confirm_failed"};

// A parameter column is named by its flag; the rare flag that is also a field's name (a kernel
// taking `fom=...`) gets a prefix, so that every column has its own name.
std::string parameter_column(const std::string& flag) {
    const auto is_field = [&](const std::vector<std::string>& names) {
        return std::find(names.begin(), names.end(), flag) != names.end();
    };
    return is_field(leading_columns) || is_field(trailing_columns) ? "param:" + flag : flag;
}

}  // namespace

TrialTable make_trial_table(const Checkpoint& checkpoint) {
    return make_trial_table(checkpoint.options.space, checkpoint.trials, checkpoint.options.maximize);
}

TrialTable make_trial_table(const SearchSpace& space, const std::vector<Trial>& all_trials, bool maximize) {
    std::map<TrialId, Confirmation> confirmed;
    for (const Confirmation& c : confirmed_ranking(all_trials, maximize)) confirmed.emplace(c.original, c);

    TrialTable table;
    table.columns = leading_columns;
    for (const Parameter& parameter : space) table.columns.push_back(parameter_column(parameter.flag()));
    table.columns.insert(table.columns.end(), trailing_columns.begin(), trailing_columns.end());

    std::vector<const Trial*> trials;
    for (const Trial& trial : all_trials) trials.push_back(&trial);
    std::stable_sort(trials.begin(), trials.end(), [](const Trial* a, const Trial* b) { return a->id < b->id; });

    for (const Trial* trial : trials) {
        std::vector<Cell> row;
        row.reserve(table.columns.size());
        row.push_back({Cell::Kind::integer, std::to_string(trial->id), 0});
        row.push_back(integer(trial->deme));
        row.push_back(integer(trial->generation));
        row.push_back(integer(trial->member));
        row.push_back(trial->parent ? Cell{Cell::Kind::integer, std::to_string(*trial->parent), 0} : Cell{Cell::Kind::none, {}, 0});
        row.push_back(trial->repeat_of ? Cell{Cell::Kind::integer, std::to_string(*trial->repeat_of), 0} : Cell{Cell::Kind::none, {}, 0});
        row.push_back(integer(trial->repeat));
        for (std::size_t i = 0; i < space.size(); ++i) {
            // The store checks every row against the space; a short row would be a bug, not data.
            row.push_back(i < trial->values.size() ? parameter_cell(space[i], trial->values[i]) : text({}));
        }
        row.push_back(number(trial->fom));
        row.push_back(integer(trial->steps));
        row.push_back(text(std::string(to_string(trial->status))));
        row.push_back(integer(trial->exit_code));
        row.push_back(integer(trial->signal));
        row.push_back(number(trial->start_time));
        row.push_back(number(trial->end_time));
        row.push_back(text(trial->host));
        row.push_back(integer(trial->worker));
        row.push_back(text(trial->message));
        // An original evaluated again: its rank by mean among the confirmed, and its runs' spread.
        if (const auto c = confirmed.find(trial->id); c != confirmed.end()) {
            const Confirmation& s = c->second;
            for (Cell cell : {integer(static_cast<long long>(s.rank)), number(s.mean), number(s.std), number(s.min),
                              number(s.max), integer(static_cast<long long>(s.runs)), integer(static_cast<long long>(s.failed))})
                row.push_back(std::move(cell));
        } else {
            row.insert(row.end(), 7, Cell{Cell::Kind::none, {}, 0});
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

TrialTable make_intermediate_table(const Checkpoint& checkpoint) {
    TrialTable table;
    table.columns = {"trial", "step", "value", "time"};
    std::vector<IntermediateValue> values = last_attempts(checkpoint.intermediate);
    // A trial's values stay in their (increasing) step order.
    std::stable_sort(values.begin(), values.end(),
                     [](const IntermediateValue& a, const IntermediateValue& b) { return a.trial < b.trial; });
    for (const IntermediateValue& v : values) {
        table.rows.push_back({{Cell::Kind::integer, std::to_string(v.trial), 0}, integer(v.step), number(v.value),
                              number(v.time)});
    }
    return table;
}

}  // namespace hpo
