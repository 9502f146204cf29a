// hpo._core.Domain and hpo._core.Params: the search space, checked by the C++ driver API.
#include <pybind11/stl.h>

#include <string>

#include "bindings.hpp"
#include "hpo/driver/params.hpp"

namespace hpo::python {

namespace {

const char* kind_name(Domain::Kind kind) {
    switch (kind) {
        case Domain::Kind::float_range: return "float_range";
        case Domain::Kind::int_range: return "int_range";
        case Domain::Kind::choice: return "choice";
    }
    return "?";
}

// A default from Python: an int, a float or a str (a choice's option); None: drawn at random.
void add_param(Params& params, const std::string& flag, const Domain& domain, const py::object& value) {
    if (value.is_none()) {
        params.add(Param(flag, domain));
    } else if (py::isinstance<py::bool_>(value)) {
        throw py::type_error("parameter " + flag + ": the default must be a number or a string, not a bool");
    } else if (py::isinstance<py::int_>(value)) {
        params.add(Param(flag, DefaultValue(value.cast<long long>()), domain));
    } else if (py::isinstance<py::float_>(value)) {
        params.add(Param(flag, DefaultValue(value.cast<double>()), domain));
    } else if (py::isinstance<py::str>(value)) {
        params.add(Param(flag, DefaultValue(value.cast<std::string>()), domain));
    } else {
        throw py::type_error("parameter " + flag + ": the default must be a number or a string, not " +
                             std::string(py::str(value.get_type().attr("__name__"))));
    }
}

}  // namespace

void bind_space(py::module_& module) {
    py::class_<Domain>(module, "Domain", "Where one hyperparameter lives: a range or a choice.")
        .def_static("float_range", &Domain::float_range, py::arg("lo"), py::arg("hi"))
        .def_static("int_range", &Domain::int_range, py::arg("lo"), py::arg("hi"))
        .def_static("choice", &Domain::choice, py::arg("options"))
        .def("log", &Domain::log, "The same range on a logarithmic scale (needs lo > 0).")
        .def_property_readonly("kind", [](const Domain& d) { return kind_name(d.kind()); })
        .def_property_readonly("is_log", &Domain::is_log)
        .def_property_readonly("lo", &Domain::lo)
        .def_property_readonly("hi", &Domain::hi)
        .def_property_readonly("options", &Domain::options);

    py::class_<Params>(module, "Params", "A search space: hyperparameters with their domains and defaults.")
        .def(py::init<>())
        .def("add", &add_param, py::arg("flag"), py::arg("domain"), py::arg("default") = py::none(),
             "Adds one hyperparameter; ValueError naming the flag if the domain or default is invalid.")
        .def("specs",
             [](const Params& params) {
                 std::vector<std::string> specs;
                 for (const Parameter& parameter : params.space()) specs.push_back(parameter.describe());
                 return specs;
             },
             "Each parameter as the CLI's --param spec: `FLAG [DEFAULT] DOMAIN [log]`.")
        .def("__len__", &Params::size);
}

}  // namespace hpo::python
