// hpo._core, the compiled half of the Python package: one bind_* function per part of the C++
// driver API, each in its own file. The pure-Python package (python/hpo/) gives it the seed's
// keywords and Python's idioms.
#pragma once

#include <pybind11/pybind11.h>

#include "hpo/config/run_result.hpp"
#include "hpo/exec/command_line.hpp"
#include "hpo/space/search_space.hpp"

namespace hpo::python {

namespace py = pybind11;

void bind_space(py::module_& module);      // Domain, Params
void bind_evaluator(py::module_& module);  // EvaluatorOptions, Evaluator
void bind_optimizer(py::module_& module);  // strategies, RunSettings, Optimizer
void bind_results(py::module_& module);    // load, CheckpointError, is_coordinator

// A run's result as plain Python data: {"trials": [dict per trial, `hpo export`'s columns, by id],
// "best": None or {"id", "fom", "values": [(flag, value)], "args": [...], "text": "--lr=0.1 ..."},
// "interrupted", "stop_signal", "setup_error", "workers", "resumed_trials", "lost_workers"}. Parameter values are int for integer ranges, float for float
// ranges and the option's text for choices.
// `maximize`: the run's direction, for the ranking of confirmed configurations (--confirm-top).
py::dict result_dict(const RunResult& result, const SearchSpace& space, ArgStyle style, bool maximize = false);

}  // namespace hpo::python
