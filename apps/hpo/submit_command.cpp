// `hpo submit`: checks the run's options here, on the login node, writes the sbatch script from
// its template (built in from scripts/slurm/, see slurm_templates.hpp) and runs sbatch.
#include "submit_command.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "cli_options.hpp"
#include "exit_codes.hpp"
#include "hpo/driver/param_values.hpp"
#include "hpo/exec/command_line.hpp"
#include "resume_options.hpp"
#include "slurm_templates.hpp"

extern char** environ;

namespace hpo::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* help_text =
    "usage: hpo submit [SUBMIT OPTIONS] [SBATCH OPTIONS] -- [RUN OPTIONS] -- COMMAND [ARGS...]\n"
    "       hpo submit --template restart [SBATCH OPTIONS] -- FILE.h5 [RESUME OPTIONS]\n\n"
    "Writes an sbatch script that runs `hpo run [RUN OPTIONS] -- COMMAND` (checked here first),\n"
    "submits it with the SBATCH OPTIONS (-N 4 --time=2:00:00 ...: anything sbatch takes) and\n"
    "prints the job id. Inside the job, hpo finds the allocated nodes itself: with --launcher srun\n"
    "and --nodes-per-eval K, each evaluation is a job step on its own K nodes.\n\n"
    "Submit options:\n"
    "  --template NAME|FILE  requeue (default): at the warning signal before the time limit hpo\n"
    "                        commits the checkpoint, the job requeues itself and resumes it;\n"
    "                        run: a plain run; restart: `hpo resume FILE.h5` in a new job;\n"
    "                        or an sbatch template file of your own (see scripts/slurm/README.md)\n"
    "  --script FILE         where the script goes (default: the checkpoint's name, .sbatch)\n"
    "  --dry-run             write the script and print the sbatch command, submit nothing\n"
    "  -h [ --help ]         print this help and exit\n\n"
    "Example:\n"
    "  hpo submit -N 4 --time=4:00:00 -- --launcher srun --nodes-per-eval 2 \\\n"
    "      --param '--lr 0.001 [1e-5,0.1] log' --generations 20 -- python3 \"$PWD/train.py\"\n";

struct SubmitRequest {
    bool help = false;
    bool dry_run = false;
    std::string template_name = "requeue";
    std::string script;
    std::vector<std::string> sbatch_options;
    std::vector<std::string> hpo_args;  // after the first `--`
};

SubmitRequest parse_request(const std::vector<std::string>& args) {
    SubmitRequest request;
    std::size_t i = 0;
    const auto value_of = [&](const std::string& arg, const std::string& name) -> std::optional<std::string> {
        if (arg.rfind(name + "=", 0) == 0) return arg.substr(name.size() + 1);
        if (arg != name) return std::nullopt;
        if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
        return args[++i];
    };
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") break;
        if (arg == "-h" || arg == "--help") {
            request.help = true;
        } else if (arg == "--dry-run") {
            request.dry_run = true;
        } else if (auto name = value_of(arg, "--template")) {
            request.template_name = *name;
        } else if (auto script = value_of(arg, "--script")) {
            request.script = *script;
        } else {
            request.sbatch_options.push_back(arg);  // sbatch judges its own options
        }
    }
    if (request.help) return request;
    if (i == args.size()) {
        throw UsageError("hpo submit needs `--` before the run's options: hpo submit [SBATCH OPTIONS] -- "
                         "[RUN OPTIONS] -- COMMAND");
    }
    request.hpo_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
    return request;
}

std::string template_text(const std::string& name) {
    for (const auto& entry : generated::sbatch_templates) {
        if (name == entry.name) return entry.text;
    }
    if (name.find('/') == std::string::npos) {
        throw UsageError("--template: unknown template '" + name + "' (run, requeue or restart, or a file path)");
    }
    std::ifstream in(name);
    if (!in) throw ConfigError("--template: cannot read '" + name + "'");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void replace_all(std::string& text, const std::string& placeholder, const std::string& value) {
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size())) {
        text.replace(at, placeholder.size(), value);
    }
}

// The hpo the job runs: this very program, by its absolute path.
std::string this_program() {
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    return error ? "hpo" : self.string();
}

// The run the script will start, checked now: a mistake is reported here, not hours later in the
// job's output. Returns the checkpoint it writes (empty for none).
std::string check_run(const SubmitRequest& request) {
    const bool restart = request.template_name == "restart";
    const RunInvocation invocation =
        restart ? parse_resume_arguments(request.hpo_args) : parse_run_arguments(request.hpo_args);
    if (invocation.help) throw UsageError("hpo submit runs no --help: see `hpo run --help` and `hpo submit --help`");
    for (const auto& warning : invocation.warnings) std::cerr << "hpo: warning: " + warning + "\n" << std::flush;
    const RunOptions& options = invocation.options;
    if (request.template_name == "requeue" && options.checkpoint_fn.empty()) {
        throw UsageError("the requeue template resumes the run from its checkpoint: --no-checkpoint needs "
                         "--template run");
    }
    if (!restart && options.checkpoint_mode == CheckpointMode::create && fs::exists(options.checkpoint_fn)) {
        throw ConfigError("checkpoint '" + options.checkpoint_fn + "' already exists: continue it with --resume (or " +
                          "--template restart), or replace it with --force");
    }
    return options.checkpoint_fn;
}

std::string default_script(const std::string& checkpoint) {
    if (checkpoint.empty()) return "hpo-run.sbatch";
    return fs::path(checkpoint).replace_extension(".sbatch").string();
}

void write_script(const std::string& path, const std::string& text) {
    {
        std::ofstream out(path, std::ios::trunc);
        out << text;
        if (!out.flush()) throw ConfigError("cannot write the sbatch script '" + path + "'");
    }
    std::error_code error;
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, error);
}

// Runs sbatch with stdout captured (its errors go straight to our stderr); its stdout, or throws.
std::string run_sbatch(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("cannot create a pipe for sbatch");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int error = ::posix_spawnp(&pid, "sbatch", &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (error != 0) {
        ::close(fds[0]);
        throw std::runtime_error("cannot run sbatch (" + std::string(std::strerror(error)) +
                                 "): hpo submit needs the Slurm client commands on PATH");
    }
    std::string out;
    char buffer[1024];
    ssize_t n;
    while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error("sbatch refused the job (exit status " +
                                 std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
    }
    return out;
}

}  // namespace

int submit_command(const std::vector<std::string>& args) {
    const SubmitRequest request = parse_request(args);
    if (request.help) {
        std::cout << help_text;
        return exit_success;
    }
    std::string text = template_text(request.template_name);
    const std::string checkpoint = check_run(request);
    replace_all(text, "@HPO@", shell_quote(this_program()));
    replace_all(text, "@CHECKPOINT@", shell_quote(checkpoint));
    replace_all(text, "@RUN_ARGS@", shell_join(request.hpo_args));

    const std::string script = request.script.empty() ? default_script(checkpoint) : request.script;
    write_script(script, text);
    std::vector<std::string> sbatch{"sbatch", "--parsable"};
    sbatch.insert(sbatch.end(), request.sbatch_options.begin(), request.sbatch_options.end());
    sbatch.push_back(script);
    if (request.dry_run) {
        std::cerr << "hpo: wrote " + script + "; not submitted (--dry-run)\n" << std::flush;
        std::cout << shell_join(sbatch) << "\n";
        return exit_success;
    }
    std::string job = run_sbatch(sbatch);
    job = job.substr(0, job.find_first_of(";\n"));  // --parsable: `id` or `id;cluster`
    std::cerr << "hpo: wrote " + script + "; submitted batch job " + job + "\n" << std::flush;
    std::cout << job << "\n";
    return exit_success;
}

}  // namespace hpo::cli
