// The module hpo._core: the C++ driver API for the Python package.
#include "bindings.hpp"

PYBIND11_MODULE(_core, module) {
    module.doc() = "hpo's C++ engine (the driver API); use the package hpo, which wraps it.";
    hpo::python::bind_space(module);
    hpo::python::bind_evaluator(module);
    hpo::python::bind_optimizer(module);
    hpo::python::bind_results(module);
}
