// Results as Python data: a run's trials and best (shared by Optimizer.optimize and load), and
// hpo._core.load for a checkpoint file.
#include <pybind11/stl.h>

#include <cmath>
#include <string>

#include "bindings.hpp"
#include "hpo/driver/launch_rank.hpp"
#include "hpo/driver/param_values.hpp"
#include "hpo/run/run.hpp"
#include "hpo/store/checkpoint.hpp"
#include "hpo/store/intermediate_values.hpp"
#include "hpo/store/trial_table.hpp"

namespace hpo::python {

namespace {

// A cell of no other kind (the store's "no value", a trial without a parent) is None.
py::object cell_value(const Cell& cell) {
    if (cell.kind == Cell::Kind::integer) return py::int_(std::stoll(cell.text));
    if (cell.kind == Cell::Kind::number) return py::float_(cell.number);
    if (cell.kind == Cell::Kind::text) return py::str(cell.text);
    return py::none();
}

py::object parameter_value(const Parameter& parameter, double native) {
    switch (parameter.kind()) {
        case ParameterKind::int_range: return py::int_(std::llround(native));
        case ParameterKind::float_range: return py::float_(native);
        case ParameterKind::choice: return py::str(parameter.format(native));
    }
    return py::none();
}

// hpo export's rows as dicts (member and parent among them: None for no parent).
py::list trial_dicts(const SearchSpace& space, const std::vector<Trial>& trials, bool maximize) {
    const TrialTable table = make_trial_table(space, trials, maximize);
    py::list rows;
    for (const auto& row : table.rows) {
        py::dict trial;
        for (std::size_t i = 0; i < table.columns.size(); ++i) trial[py::str(table.columns[i])] = cell_value(row[i]);
        rows.append(trial);
    }
    return rows;
}

py::dict best_dict(const Trial& best, const SearchSpace& space, ArgStyle style) {
    py::dict out;
    out["id"] = best.id;
    out["fom"] = best.fom;
    py::list values;
    for (std::size_t i = 0; i < space.size(); ++i) {
        values.append(py::make_tuple(space[i].flag(), parameter_value(space[i], best.values.at(i))));
    }
    out["values"] = values;
    const ParamValues point(space, best.values, style);
    out["args"] = point.args();
    out["text"] = point.str();
    return out;
}

// The space as Python data: flag, kind and, for choices, the options' texts.
py::list space_list(const SearchSpace& space) {
    py::list parameters;
    for (const Parameter& parameter : space) {
        py::dict p;
        p["flag"] = parameter.flag();
        p["kind"] = parameter.kind() == ParameterKind::choice      ? "choice"
                    : parameter.kind() == ParameterKind::int_range ? "int_range"
                                                                   : "float_range";
        p["log"] = parameter.is_log();
        p["options"] = parameter.options();
        p["spec"] = parameter.describe();
        parameters.append(p);
    }
    return parameters;
}

// The intermediate FoMs of each trial's last attempt (hpo export --intermediate's rows) as four
// columns of equal length: trial, step, value, time (for hpo.report's learning curves).
py::dict intermediate_columns(const Checkpoint& checkpoint) {
    py::list trial, step, value, time;
    for (const IntermediateValue& v : last_attempts(checkpoint.intermediate)) {
        trial.append(v.trial);
        step.append(v.step);
        value.append(v.value);
        time.append(v.time);
    }
    py::dict columns;
    columns["trial"] = trial;
    columns["step"] = step;
    columns["value"] = value;
    columns["time"] = time;
    return columns;
}

py::dict load(const std::string& path) {
    const Checkpoint checkpoint = load_checkpoint(path);
    const RunOptions& options = checkpoint.options;
    py::dict out = result_dict(result_of(checkpoint), options.space, options.arg_style, options.maximize);
    py::dict config;
    config["strategy"] = std::string(strategy_name(options.strategy));
    config["options"] = describe_options(options.strategy, OptionStyle::keywords);
    py::dict prune;  // keyword -> value, as the optimizers take them
    for (const auto& field : PruneOptions::table()) {
        prune[py::str(std::string(field.keyword))] =
            std::visit([](const auto& v) -> py::object { return py::cast(v); }, field.get(options.prune));
    }
    config["prune"] = prune;
    config["confirm_top"] = options.confirm.confirm_top;
    config["confirm_repeats"] = options.confirm.confirm_repeats;
    config["command"] = options.kernel.command;
    config["run_dir"] = options.kernel.run_dir;
    config["maximize"] = options.maximize;
    config["seed"] = options.seed;
    config["space"] = space_list(options.space);
    out["config"] = config;
    out["finished"] = checkpoint.finished;
    out["format_version"] = checkpoint.format_version;
    out["intermediate"] = intermediate_columns(checkpoint);
    // The strategy's saved state as written (bayes: its fitted length scales, for hpo.report).
    out["strategy_state"] = py::bytes(checkpoint.strategy_state);
    return out;
}

}  // namespace

py::dict result_dict(const RunResult& result, const SearchSpace& space, ArgStyle style, bool maximize) {
    py::dict out;
    out["trials"] = trial_dicts(space, result.trials, maximize);
    py::object best = result.best ? py::object(best_dict(*result.best, space, style)) : py::none();
    out["confirmed"] = py::none();
    if (result.confirmed && result.best) {
        // The best configuration by its mean (--confirm-top): its FoM is the mean.
        const Confirmation& c = *result.confirmed;
        py::dict confirmed;
        confirmed["trial"] = c.original;
        confirmed["mean"] = c.mean;
        confirmed["std"] = c.std;
        confirmed["min"] = c.min;
        confirmed["max"] = c.max;
        confirmed["runs"] = c.runs;
        confirmed["repeats"] = c.repeats;
        confirmed["failed"] = c.failed;
        out["confirmed"] = confirmed;
        best["fom"] = c.mean;
    }
    out["best"] = best;
    out["interrupted"] = result.interrupted;
    out["stop_signal"] = result.stop_signal;
    out["setup_error"] = result.setup_error;
    out["workers"] = result.workers;
    out["resumed_trials"] = result.resumed_trials;
    py::list lost;
    for (const LostWorker& worker : result.lost_workers) {
        py::dict w;
        w["worker"] = worker.worker;
        w["node"] = worker.node;
        w["trial"] = worker.trial ? py::object(py::int_(*worker.trial)) : py::none();
        w["reason"] = worker.reason;
        lost.append(w);
    }
    out["lost_workers"] = lost;
    out["space"] = space_list(space);
    return out;
}

void bind_results(py::module_& module) {
    static py::exception<CheckpointError> checkpoint_error(module, "CheckpointError", PyExc_ValueError);
    py::register_exception_translator([](std::exception_ptr error) {
        try {
            if (error) std::rethrow_exception(error);
        } catch (const CheckpointError& e) {
            checkpoint_error(e.what());
        }
    });
    module.def("load", &load, py::arg("path"), "A checkpoint's run as Python data (as Optimizer.optimize returns it).");
    module.def("is_coordinator", &is_coordinator,
               "True on the process that reports results: the only one alone, rank 0 under mpirun or srun.");
    module.def("launch_rank", &launch_rank, "The MPI rank the launcher gave this process, 0 when alone.");
    module.def("launched_by_mpi", &launched_by_mpi, "True when an MPI launcher (mpirun, srun) started this process.");
}

}  // namespace hpo::python
