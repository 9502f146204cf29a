// The `hpo` program: subcommand dispatch, and every error turned into a message and an exit code.
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options/errors.hpp>

#include "exit_codes.hpp"
#include "hpo/driver/launch_rank.hpp"
#include "run_command.hpp"

#ifndef HPO_VERSION
#define HPO_VERSION "unknown"
#endif

namespace {

using namespace hpo::cli;

constexpr const char* usage =
    "usage: hpo run [OPTIONS] -- COMMAND [ARGS...]   optimize the hyperparameters of COMMAND\n"
    "       hpo run --help                           the options of a run\n"
    "       hpo --version\n"
    "subcommands: run (resume, show and export come with checkpoints)\n";

// Usage errors are the same on every rank of an MPI job: only the coordinator reports them.
// Runtime errors can be one rank's own, so every rank reports its own, naming itself.
void report(const std::string& message, bool every_rank) {
    const int rank = hpo::launch_rank();
    if (rank == 0) {
        std::cerr << "hpo: error: " << message << "\n";
    } else if (every_rank) {
        std::cerr << "hpo: error: (rank " << rank << ") " << message << "\n";
    }
}

int dispatch(const std::vector<std::string>& args) {
    if (args.empty()) throw UsageError("no subcommand given; subcommands: run");
    const std::string& subcommand = args[0];
    if (subcommand == "-h" || subcommand == "--help" || subcommand == "help") {
        if (hpo::is_coordinator()) std::cout << usage;
        return exit_success;
    }
    if (subcommand == "--version") {
        if (hpo::is_coordinator()) std::cout << "hpo " << HPO_VERSION << "\n";
        return exit_success;
    }
    if (subcommand == "run") return run_command({args.begin() + 1, args.end()});
    if (subcommand == "resume" || subcommand == "show" || subcommand == "export") {
        throw UsageError("'" + subcommand + "' is not available yet (it comes with checkpoints); subcommands: run");
    }
    if (subcommand.rfind("-", 0) == 0) {
        throw UsageError("unknown option '" + subcommand + "' before a subcommand (did you mean `hpo run " +
                         subcommand + " ...`?); subcommands: run");
    }
    throw UsageError("unknown subcommand '" + subcommand + "'; subcommands: run (resume, show, export are reserved)");
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return dispatch(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const UsageError& error) {
        report(error.what(), false);
    } catch (const boost::program_options::error& error) {
        report(error.what(), false);
    } catch (const std::invalid_argument& error) {  // hpo::SpecError, strategy and option checks
        report(error.what(), false);
    } catch (const std::exception& error) {
        report(error.what(), true);
        return exit_failure;
    }
    if (hpo::is_coordinator()) std::cerr << "usage: hpo run [OPTIONS] -- COMMAND [ARGS...]  (`hpo run --help` lists the options)\n";
    return exit_usage;
}
