// The `hpo` program: subcommand dispatch, and every error turned into a message and an exit code.
#include <chrono>
#include <iostream>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options/errors.hpp>

#include "exit_codes.hpp"
#include "export_command.hpp"
#include "hpo/driver/launch_rank.hpp"
#include "report_command.hpp"
#include "run_command.hpp"
#include "show_command.hpp"
#include "submit_command.hpp"

#ifndef HPO_VERSION
#define HPO_VERSION "unknown"
#endif

namespace {

using namespace hpo::cli;

constexpr const char* usage =
    "usage: hpo run [OPTIONS] -- COMMAND [ARGS...]        optimize the hyperparameters of COMMAND\n"
    "       hpo resume FILE.h5 [OPTIONS]                  continue the run a checkpoint holds\n"
    "       hpo show FILE.h5                              summary of a checkpoint\n"
    "       hpo export FILE.h5 --format csv|json [-o FILE]  every trial of a checkpoint\n"
    "       hpo report FILE.h5 [-o FILE.html] [--png DIR]  figures of a checkpoint (HTML page, PNGs)\n"
    "       hpo submit [SBATCH OPTIONS] -- [RUN OPTIONS] -- COMMAND  the run as a Slurm batch job\n"
    "       hpo SUBCOMMAND --help                         the options of a subcommand\n"
    "       hpo --version\n"
    "exit status: 0 success; 1 error or no successful trial; 2 bad usage, configuration or\n"
    "checkpoint; 3 interrupted by a signal (continue with `hpo resume FILE.h5`)\n";

constexpr const char* subcommands = "subcommands: run, resume, show, export, report, submit";

// Usage errors are the same on every rank of an MPI job: only the coordinator reports them.
// Runtime errors can be one rank's own, so every rank reports its own, naming itself.
void report(const std::string& message, bool every_rank) {
    const int rank = hpo::launch_rank();
    if (rank == 0) {
        std::cerr << "hpo: error: " + message + "\n" << std::flush;
    } else if (every_rank) {
        std::cerr << "hpo: error: (rank " + std::to_string(rank) + ") " + message + "\n" << std::flush;
    }
}

// The exit status of a usage or configuration error. Such an error is the same on every rank of
// an MPI job and only the coordinator reports it, so the other ranks leave a moment later: one
// that exited with an error first could have mpirun abort the job before the coordinator's report
// got out. The coordinator's own exit ends them sooner (mpirun aborts the job on it).
int usage_exit_status() {
    if (!hpo::is_coordinator()) std::this_thread::sleep_for(std::chrono::seconds(2));
    return exit_usage;
}

// The line that follows a usage error: how the subcommand is called.
std::string usage_hint(const std::vector<std::string>& args) {
    const std::string subcommand = args.empty() ? "" : args[0];
    if (subcommand == "resume") return "usage: hpo resume FILE.h5 [OPTIONS]  (`hpo resume --help` lists the options)";
    if (subcommand == "show") return "usage: hpo show FILE.h5";
    if (subcommand == "export") return "usage: hpo export FILE.h5 --format csv|json [-o FILE]";
    if (subcommand == "report") return "usage: hpo report FILE.h5 [-o FILE.html] [--png DIR]";
    if (subcommand == "submit") return "usage: hpo submit [SBATCH OPTIONS] -- [RUN OPTIONS] -- COMMAND  (`hpo submit --help`)";
    if (subcommand == "run") return "usage: hpo run [OPTIONS] -- COMMAND [ARGS...]  (`hpo run --help` lists the options)";
    return "usage: hpo run [OPTIONS] -- COMMAND [ARGS...]  (`hpo --help` lists the subcommands)";
}

int dispatch(const std::vector<std::string>& args) {
    if (args.empty()) throw UsageError(std::string("no subcommand given; ") + subcommands);
    const std::string& subcommand = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (subcommand == "-h" || subcommand == "--help" || subcommand == "help") {
        if (hpo::is_coordinator()) std::cout << usage;
        return exit_success;
    }
    if (subcommand == "--version") {
        if (hpo::is_coordinator()) std::cout << "hpo " << HPO_VERSION << "\n";
        return exit_success;
    }
    if (subcommand == "run") return run_command(rest);
    if (subcommand == "resume") return resume_command(rest);
    if (subcommand == "show") return show_command(rest);
    if (subcommand == "export") return export_command(rest);
    if (subcommand == "report") return report_command(rest);
    if (subcommand == "submit") return submit_command(rest);
    if (subcommand.rfind("-", 0) == 0) {
        throw UsageError("unknown option '" + subcommand + "' before a subcommand (did you mean `hpo run " +
                         subcommand + " ...`?); " + subcommands);
    }
    throw UsageError("unknown subcommand '" + subcommand + "'; " + subcommands);
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return dispatch(args);
    } catch (const ConfigError& error) {  // a well-formed command that cannot be carried out as given
        report(error.what(), false);
        return usage_exit_status();
    } catch (const UsageError& error) {
        report(error.what(), false);
    } catch (const boost::program_options::error& error) {
        report(error.what(), false);
    } catch (const std::invalid_argument& error) {  // hpo::SpecError, strategy and option checks
        report(error.what(), false);
    } catch (const std::bad_alloc&) {  // anywhere: a size no option limit caught, or a memory limit
        report("out of memory (std::bad_alloc): lower --parallel, --pop-size or --demes, or the size of the search "
               "space, or raise the memory limit",
               true);
        return exit_failure;
    } catch (const std::exception& error) {
        report(error.what(), true);
        return exit_failure;
    }
    if (hpo::is_coordinator()) std::cerr << usage_hint(args) + "\n" << std::flush;
    return usage_exit_status();
}
