// hpo._core.Optimizer: a strategy's optimizer built from its option table and the pruning options'
// (the one declaration of every option: the CLI's flags, the config file, the checkpoint and these
// keywords), and its run with the GIL released.
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <variant>

#include "bindings.hpp"
#include "hpo/driver/optimizer.hpp"

namespace hpo::python {

namespace {

std::string type_name(const py::handle& value) { return py::str(value.get_type().attr("__name__")); }

// A Python value as an option of `type`: ints for integer and count options, any real number for
// real ones, a bool for flags, a str for words. TypeError for the wrong type, ValueError (from the
// table's setter or here) for a value out of its domain.
OptionValue option_value(OptionType type, std::string_view keyword, const py::handle& value) {
    const std::string name(keyword);
    const bool is_bool = py::isinstance<py::bool_>(value);
    switch (type) {
        case OptionType::flag:
            if (!is_bool) throw py::type_error(name + " must be True or False, not " + type_name(value));
            return value.cast<bool>();
        case OptionType::integer:
        case OptionType::count: {
            if (is_bool || !py::isinstance<py::int_>(value)) {
                throw py::type_error(name + " must be an integer, not " + type_name(value));
            }
            const auto number = value.cast<py::int_>();
            if (type == OptionType::count) {
                if (number < py::int_(0)) throw py::value_error(name + " must be >= 0 (got " + std::string(py::str(value)) + ")");
                if (number > py::int_(std::numeric_limits<std::size_t>::max())) throw py::value_error(name + " is too large");
                return number.cast<std::size_t>();
            }
            if (number < py::int_(std::numeric_limits<int>::min()) || number > py::int_(std::numeric_limits<int>::max())) {
                throw py::value_error(name + " is out of range (got " + std::string(py::str(value)) + ")");
            }
            return number.cast<int>();
        }
        case OptionType::real: {
            if (is_bool || !(py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value))) {
                throw py::type_error(name + " must be a number, not " + type_name(value));
            }
            const double number = value.cast<double>();
            if (!std::isfinite(number)) throw py::value_error(name + " must be a finite number (got " + std::string(py::str(value)) + ")");
            return number;
        }
        case OptionType::word:
            if (!py::isinstance<py::str>(value)) throw py::type_error(name + " must be a str, not " + type_name(value));
            return value.cast<std::string>();
    }
    throw py::type_error(name + ": unknown option type");
}

py::object python_value(const OptionValue& value) {
    return std::visit([](const auto& v) -> py::object { return py::cast(v); }, value);
}

const char* type_word(OptionType type) {
    switch (type) {
        case OptionType::integer: return "int";
        case OptionType::count: return "int";
        case OptionType::real: return "float";
        case OptionType::flag: return "bool";
        case OptionType::word: return "str";
    }
    return "?";
}

// Each option of `Options`' table: keyword, CLI flag, help, type and default, in table order.
template <class Options>
py::list option_rows(const Options& defaults) {
    py::list rows;
    for (const auto& field : Options::table()) {
        py::dict row;
        row["keyword"] = std::string(field.keyword);
        row["flag"] = "--" + std::string(field.flag);
        row["help"] = std::string(field.help);
        row["type"] = type_word(field.type);
        row["default"] = python_value(field.get(defaults));
        row["budget"] = field.budget;
        rows.append(row);
    }
    return rows;
}

py::list strategy_options(const std::string& name) {
    return std::visit([](const auto& defaults) { return option_rows(defaults); }, strategy_config_from_name(name));
}

// `options` (keyword -> value) set over `config`'s values through its table. An unknown keyword
// is a TypeError naming it, as for a Python function (`what` names the callee).
template <class Options>
void set_options(Options& config, const py::dict& options, const std::string& what) {
    const auto& table = Options::table();
    for (const auto& [key, value] : options) {
        const std::string keyword = py::str(key);
        const auto field = std::find_if(table.begin(), table.end(), [&](const auto& f) { return f.keyword == keyword; });
        if (field == table.end()) throw py::type_error(what + " got an unexpected keyword argument '" + keyword + "'");
        const OptionValue parsed = option_value(field->type, field->keyword, value);
        try {
            field->set(config, parsed);
        } catch (const std::invalid_argument& error) {  // a word no value of the enum has
            throw py::value_error(keyword + ": " + error.what());
        }
    }
}

// The optimizer of strategy `name` with `options` (keyword -> value) over its defaults, and the
// pruning options `prune` (keyword -> value, PruneOptions' table) over theirs.
std::unique_ptr<Optimizer> make_optimizer(const std::string& name, const Evaluator& evaluator, const py::dict& options,
                                          const py::dict& prune, RunSettings settings) {
    set_options(settings.prune, prune, name + " optimizer");
    return std::visit(
        [&](auto config) -> std::unique_ptr<Optimizer> {
            using Options = decltype(config);
            set_options(config, options, name + " optimizer");
            return std::make_unique<StrategyOptimizer<Options>>(evaluator, config, settings);
        },
        strategy_config_from_name(name));
}

py::dict optimize(Optimizer& optimizer, const Params& params) {
    const RunResult* result = nullptr;
    {
        // The run may last days: other Python threads go on meanwhile. Signals (Ctrl-C) reach
        // the run's own handlers, which stop it after a checkpoint; the caller raises.
        py::gil_scoped_release release;
        result = &optimizer.optimize(params);
    }
    return result_dict(*result, params.space(), optimizer.evaluator().arg_style(), optimizer.settings().maximize);
}

}  // namespace

void bind_optimizer(py::module_& module) {
    module.def("strategy_names", [] {
        std::vector<std::string> names;
        for (auto name : hpo::strategy_names()) names.emplace_back(name);
        return names;
    });
    module.def("strategy_options", &strategy_options, py::arg("name"),
               "The strategy's options as dicts: keyword, flag, help, type, default, budget.");
    module.def("prune_options", [] { return option_rows(PruneOptions{}); },
               "The pruning options (every strategy) as dicts: keyword, flag, help, type, default, budget.");

    py::class_<RunSettings>(module, "RunSettings", "The settings of a run that are not the strategy's own.")
        .def(py::init<>())
        .def_readwrite("seed", &RunSettings::seed)
        .def_readwrite("maximize", &RunSettings::maximize)
        .def_readwrite("log_fn", &RunSettings::log_fn)
        .def_readwrite("checkpoint_fn", &RunSettings::checkpoint_fn)
        .def_readwrite("resume", &RunSettings::resume)
        .def_readwrite("verbose", &RunSettings::verbose)
        .def_readwrite("parallel", &RunSettings::parallel)
        .def_readwrite("worker_timeout", &RunSettings::worker_timeout)
        .def_property(
            "keep_checkpoints", [](const RunSettings& s) { return std::string(to_string(s.keep_checkpoints)); },
            [](RunSettings& s, const std::string& text) { s.keep_checkpoints = keep_checkpoints_from_string(text); })
        .def_property(
            "confirm_top", [](const RunSettings& s) { return s.confirm.confirm_top; },
            [](RunSettings& s, int value) { s.confirm.confirm_top = value; })
        .def_property(
            "confirm_repeats", [](const RunSettings& s) { return s.confirm.confirm_repeats; },
            [](RunSettings& s, int value) { s.confirm.confirm_repeats = value; });

    py::class_<Optimizer>(module, "Optimizer", "One strategy's optimizer (hpo::Optimizer).")
        .def(py::init(&make_optimizer), py::arg("strategy"), py::arg("evaluator"), py::arg("options"), py::arg("prune"),
             py::arg("settings"))
        .def("optimize", &optimize, py::arg("params"),
             "Runs the whole optimization (alone, or as this rank's part of an MPI job) and returns the result.");
}

}  // namespace hpo::python
