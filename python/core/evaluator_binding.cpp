// hpo._core.EvaluatorOptions and hpo._core.Evaluator: the kernel command and how it runs.
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "hpo/config/run_options.hpp"
#include "hpo/driver/evaluator.hpp"

namespace hpo::python {

void bind_evaluator(py::module_& module) {
    py::class_<EvaluatorOptions>(module, "EvaluatorOptions", "How every evaluation runs (hpo::EvaluatorOptions).")
        .def(py::init<>())
        .def_readwrite("fom_prefix", &EvaluatorOptions::fom_prefix)
        .def_readwrite("timeout", &EvaluatorOptions::timeout)
        .def_readwrite("run_dir", &EvaluatorOptions::run_dir)
        .def_property(
            "arg_style", [](const EvaluatorOptions& o) { return std::string(to_string(o.arg_style)); },
            [](EvaluatorOptions& o, const std::string& text) { o.arg_style = arg_style_from_string(text); })
        .def_readwrite("kill_grace", &EvaluatorOptions::kill_grace)
        .def_property(
            "launcher", [](const EvaluatorOptions& o) { return std::string(to_string(o.launcher)); },
            [](EvaluatorOptions& o, const std::string& text) { o.launcher = launcher_from_string(text); })
        .def_readwrite("nodes_per_eval", &EvaluatorOptions::nodes_per_eval)
        .def_readwrite("launch_args", &EvaluatorOptions::launch_args)
        .def_readwrite("echo_output", &EvaluatorOptions::echo_output)
        .def_readwrite("stage_paths", &EvaluatorOptions::stage_paths)
        .def_readwrite("checkpoint_root", &EvaluatorOptions::checkpoint_root);

    module.def("split_command", &split_command, py::arg("command"),
               "The command's words, split with shell-like quoting (nothing expanded, no shell).");
    module.def(
        "command_word",
        [](const std::string& word, std::size_t position) {
            switch (command_word(word, position)) {
                case CommandWord::path: return "path";
                case CommandWord::bare: return "bare";
                case CommandWord::other: return "other";
            }
            return "other";
        },
        py::arg("word"), py::arg("position"),
        "How the run takes word `position` of the kernel command: 'path' (made absolute if it names a file "
        "where hpo starts), 'bare' (passed as it is) or 'other'.");

    py::class_<Evaluator>(module, "Evaluator", "The training kernel and how each evaluation of it runs.")
        .def(py::init<std::string_view, EvaluatorOptions>(), py::arg("command"), py::arg("options"),
             "The command is split with shell-like quoting, never run through a shell.")
        .def(py::init(&Evaluator::from_argv), py::arg("argv"), py::arg("options"), "A command already split into words.")
        .def_property_readonly("command", [](const Evaluator& e) { return e.kernel().command; })
        .def_property_readonly("run_dir", [](const Evaluator& e) { return e.kernel().run_dir; })
        .def_property_readonly("checkpoint_root", [](const Evaluator& e) { return e.kernel().checkpoint_root; })
        .def_property_readonly("launcher", [](const Evaluator& e) { return std::string(to_string(e.kernel().launcher)); });
}

}  // namespace hpo::python
