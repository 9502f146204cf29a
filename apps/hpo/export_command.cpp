// `hpo export FILE.h5 [--intermediate] --format csv|json [-o FILE]` (see export_command.hpp).
#include "export_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "arguments.hpp"
#include "checkpoint_file.hpp"
#include "exit_codes.hpp"
#include "export_csv.hpp"
#include "export_json.hpp"
#include "hpo/store/trial_table.hpp"

namespace hpo::cli {

namespace po = boost::program_options;

namespace {

constexpr const char* usage = "hpo export FILE.h5 [--intermediate] --format csv|json [-o FILE]";

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// --format, or else the output file's extension.
std::string format_of(std::string format, const std::string& output) {
    if (format.empty()) {
        if (ends_with(output, ".csv")) return "csv";
        if (ends_with(output, ".json")) return "json";
        throw UsageError("give --format csv or --format json: " + std::string(usage));
    }
    if (format != "csv" && format != "json") {
        throw UsageError("--format must be csv or json, got '" + format + "'");
    }
    return format;
}

void write(std::ostream& out, const std::string& format, const TrialTable& table) {
    if (format == "csv") {
        write_csv(out, table);
    } else {
        write_json(out, table);
    }
}

}  // namespace

int export_command(const std::vector<std::string>& args) {
    std::string format;
    std::string output = "-";
    po::options_description options("Options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("intermediate", "write the intermediate FoMs (--prune) instead of the trials: trial, step, value, time")
        ("format", po::value(&format)->value_name("FORMAT"),
         "csv (RFC 4180 quoting, a header line) or json (an array of objects); default: from -o's extension")
        ("output,o", po::value(&output)->value_name("FILE"), "write to FILE instead of stdout (`-`)");
    const SplitArguments split = split_arguments(args, options, /*allow_positionals=*/true);
    po::variables_map vm;
    po::store(parse_split_options(split, options), vm);
    if (vm.count("help")) {
        std::cout << "usage: " << usage << "\n\n"
                  << "Writes every trial of the checkpoint FILE.h5, in id order, one row or object each:\n"
                     "id, deme, generation, one column per parameter named by its flag (the value as the\n"
                     "kernel received it: integers as integers, choices as the option's text), fom, status,\n"
                     "exit_code, signal, start_time, end_time (seconds since the epoch), host, worker (the\n"
                     "index of the worker that ran it, from 0), message. A FoM that is not finite is\n"
                     "`nan`/`inf` in CSV, null in JSON. `steps` is how many FoM lines the trial printed.\n\n"
                     "With --intermediate: the intermediate FoMs a run with --prune recorded, one row or\n"
                     "object each, in trial id order and each trial's in step order: trial (its id), step\n"
                     "(the n-th FoM line is step n), value (as printed), time (when hpo received it,\n"
                     "seconds since the epoch). Only the values the pruner used are recorded (a rung's\n"
                     "step, say); a trial that ran twice (lost worker, resume) shows its last attempt.\n\n"
                  << options << "\n"
                  << "Exit status: 0; 2 for bad usage or a file that is not a readable hpo checkpoint;\n"
                     "1 if the output cannot be written.\n";
        return exit_success;
    }
    po::notify(vm);
    const std::string path = checkpoint_argument(split, usage);
    format = format_of(format, vm.count("output") ? output : std::string());

    // Read before the output is opened: a bad checkpoint leaves an existing output file alone.
    const Checkpoint checkpoint = load_checkpoint_file(path);
    const TrialTable table =
        vm.count("intermediate") ? make_intermediate_table(checkpoint) : make_trial_table(checkpoint);
    if (output == "-") {
        write(std::cout, format, table);
        std::cout.flush();
        if (!std::cout) throw std::runtime_error("cannot write the export to stdout");
        return exit_success;
    }
    std::error_code same_error;
    if (std::filesystem::equivalent(output, path, same_error)) {
        throw UsageError("-o '" + output + "' is the checkpoint itself: write the export elsewhere");
    }
    std::ofstream file(output, std::ios::out | std::ios::trunc | std::ios::binary);
    if (!file) throw std::runtime_error("cannot write the export file '" + output + "'");
    write(file, format, table);
    file.close();
    if (!file) throw std::runtime_error("cannot write the export file '" + output + "' (disk full?)");
    return exit_success;
}

}  // namespace hpo::cli
