// Writing and reading /config: every field of RunOptions, one attribute each, named as the CLI
// spells the option where there is one. Not stored: `checkpoint` and `checkpoint_mode`, which say
// where this invocation writes and how, not what the run is (the reader fills them in).
#include "config_io.hpp"

#include <limits>
#include <stdexcept>

#include "checkpoint_schema.hpp"
#include "h5_attributes.hpp"
#include "h5_columns.hpp"
#include "hpo/space/parse.hpp"

namespace hpo::store {
namespace {

Handle create_group(hid_t parent, const char* name) {
    return group_handle(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        std::string("creating group ") + name);
}

std::size_t read_size(hid_t object, const char* name) {
    const std::uint64_t value = read_uint_attr(object, name);
    if (value > std::numeric_limits<std::size_t>::max())
        throw StoreFailure(std::string("attribute '") + name + "' is out of range");
    return static_cast<std::size_t>(value);
}

// The enum-like options are stored as their text; an unknown one is a malformed file.
template <typename F>
auto parse_text(hid_t object, const char* name, F parse) {
    const std::string text = read_string_attr(object, name);
    try {
        return parse(text);
    } catch (const std::invalid_argument& e) {
        throw StoreFailure("attribute '" + std::string(name) + "' of " + object_name(object) + ": " + e.what());
    }
}

void write_kernel(hid_t config, const KernelConfig& k) {
    Handle group = create_group(config, "kernel");
    write_strings_attr(group, "command", k.command);
    write_string_attr(group, "fom_prefix", k.fom_prefix);
    write_double_attr(group, "timeout_seconds", k.timeout_seconds);
    write_double_attr(group, "kill_grace_seconds", k.kill_grace_seconds);
    write_string_attr(group, "run_dir", k.run_dir);
    write_uint_attr(group, "stderr_tail_bytes", k.stderr_tail_bytes);
    write_uint_attr(group, "output_limit_bytes", k.output_limit_bytes);
    write_string_attr(group, "launcher", std::string(to_string(k.launcher)));
    write_int_attr(group, "nodes_per_eval", k.nodes_per_eval);
    write_strings_attr(group, "launch_args", k.launch_args);
}

KernelConfig read_kernel(hid_t config) {
    Handle group = open_group(config, "kernel");
    KernelConfig k;
    k.command = read_strings_attr(group, "command");
    k.fom_prefix = read_string_attr(group, "fom_prefix");
    k.timeout_seconds = read_double_attr(group, "timeout_seconds");
    k.kill_grace_seconds = read_double_attr(group, "kill_grace_seconds");
    k.run_dir = read_string_attr(group, "run_dir");
    k.stderr_tail_bytes = read_size(group, "stderr_tail_bytes");
    k.output_limit_bytes = read_size(group, "output_limit_bytes");
    // Added within format 1 (launchers): optional, so that files from before them still load.
    if (has_attr(group, "launcher"))
        k.launcher = parse_text(group, "launcher", [](const std::string& t) { return launcher_from_string(t); });
    if (has_attr(group, "nodes_per_eval")) k.nodes_per_eval = read_int32_attr(group, "nodes_per_eval");
    if (has_attr(group, "launch_args")) k.launch_args = read_strings_attr(group, "launch_args");
    return k;
}

// Every strategy's options are kept, not only the chosen one's: RunOptions round-trips whole.
void write_strategy(hid_t config, const StrategyConfig& s) {
    Handle group = create_group(config, "strategy");
    write_string_attr(group, "kind", std::string(to_string(s.kind)));

    Handle genetic = create_group(group, "genetic");
    const GeneticOptions& g = s.genetic;
    write_int_attr(genetic, "generations", g.generations);
    write_int_attr(genetic, "pop_size", g.pop_size);
    write_int_attr(genetic, "demes", g.num_demes);
    write_double_attr(genetic, "mutation_rate", g.mutation_rate);
    write_double_attr(genetic, "crossover_rate", g.crossover_rate);
    write_int_attr(genetic, "migration_interval", g.migration_interval);
    write_int_attr(genetic, "elites", g.elites);
    write_string_attr(genetic, "mode", std::string(to_string(g.mode)));
    write_uint_attr(genetic, "seed", g.seed);
    write_bool_attr(genetic, "maximize", g.maximize);

    Handle random = create_group(group, "random");
    write_uint_attr(random, "evals", s.random.evals);
    write_uint_attr(random, "seed", s.random.seed);

    Handle grid = create_group(group, "grid");
    write_uint_attr(grid, "grid_size", s.grid.grid_size);
    write_uint_attr(grid, "seed", s.grid.seed);

    Handle bayes = create_group(group, "bayes");
    write_uint_attr(bayes, "evals", s.bayes.evals);
    write_uint_attr(bayes, "initial", s.bayes.initial);
    write_string_attr(bayes, "acquisition", std::string(to_string(s.bayes.acquisition)));
    write_uint_attr(bayes, "seed", s.bayes.seed);
    write_bool_attr(bayes, "maximize", s.bayes.maximize);
}

StrategyConfig read_strategy(hid_t config) {
    Handle group = open_group(config, "strategy");
    StrategyConfig s;
    s.kind = parse_text(group, "kind", [](const std::string& t) { return strategy_kind_from_string(t); });

    Handle genetic = open_group(group, "genetic");
    GeneticOptions& g = s.genetic;
    g.generations = read_int32_attr(genetic, "generations");
    g.pop_size = read_int32_attr(genetic, "pop_size");
    g.num_demes = read_int32_attr(genetic, "demes");
    g.mutation_rate = read_double_attr(genetic, "mutation_rate");
    g.crossover_rate = read_double_attr(genetic, "crossover_rate");
    g.migration_interval = read_int32_attr(genetic, "migration_interval");
    g.elites = read_int32_attr(genetic, "elites");
    g.mode = parse_text(genetic, "mode", [](const std::string& t) { return genetic_mode_from_string(t); });
    g.seed = read_uint_attr(genetic, "seed");
    g.maximize = read_bool_attr(genetic, "maximize");

    Handle random = open_group(group, "random");
    s.random.evals = read_size(random, "evals");
    s.random.seed = read_uint_attr(random, "seed");

    Handle grid = open_group(group, "grid");
    s.grid.grid_size = read_size(grid, "grid_size");
    s.grid.seed = read_uint_attr(grid, "seed");

    // Added within format 1 (the bayes strategy): optional, so that files from before it still load.
    if (H5Lexists(group, "bayes", H5P_DEFAULT) > 0) {
        Handle bayes = open_group(group, "bayes");
        BayesOptions& b = s.bayes;
        b.evals = read_size(bayes, "evals");
        b.initial = read_size(bayes, "initial");
        b.acquisition = parse_text(bayes, "acquisition", [](const std::string& t) { return acquisition_from_string(t); });
        b.seed = read_uint_attr(bayes, "seed");
        b.maximize = read_bool_attr(bayes, "maximize");
    }
    return s;
}

SearchSpace read_space(hid_t config) {
    std::vector<Parameter> parameters;
    for (const auto& spec : read_strings_attr(config, "parameters")) {
        try {
            parameters.push_back(parse_parameter(spec));
        } catch (const std::exception& e) {
            throw StoreFailure("parameter spec '" + spec + "' in /config: " + e.what());
        }
    }
    try {
        return SearchSpace(std::move(parameters));
    } catch (const std::exception& e) {
        throw StoreFailure(std::string("parameters in /config: ") + e.what());
    }
}

}  // namespace

void write_config(hid_t file, const RunOptions& o) {
    Handle config = create_group(file, names::config);
    std::vector<std::string> specs;
    for (const auto& p : o.space) specs.push_back(p.describe());
    write_strings_attr(config, "parameters", specs);
    write_string_attr(config, "arg_style", std::string(to_string(o.arg_style)));
    write_bool_attr(config, "maximize", o.maximize);
    write_uint_attr(config, "seed", o.seed);
    write_uint_attr(config, "parallel", o.parallel);
    write_string_attr(config, "log_file", o.log_file);
    write_bool_attr(config, "progress", o.progress);
    write_bool_attr(config, "quiet", o.quiet);
    write_double_attr(config, "checkpoint_interval", o.checkpoint_interval);
    write_kernel(config, o.kernel);
    write_strategy(config, o.strategy);
}

bool same_stored_config(const RunOptions& a, const RunOptions& b) {
    const GeneticOptions &ga = a.strategy.genetic, &gb = b.strategy.genetic;
    // Doubles compare by value: a NaN option is never "the same", which costs one rewrite.
    return a.space == b.space && a.arg_style == b.arg_style && a.maximize == b.maximize && a.seed == b.seed &&
           a.parallel == b.parallel && a.log_file == b.log_file && a.progress == b.progress && a.quiet == b.quiet &&
           a.checkpoint_interval == b.checkpoint_interval && a.kernel == b.kernel &&
           a.strategy.kind == b.strategy.kind && ga.generations == gb.generations && ga.pop_size == gb.pop_size &&
           ga.num_demes == gb.num_demes && ga.mutation_rate == gb.mutation_rate &&
           ga.crossover_rate == gb.crossover_rate && ga.migration_interval == gb.migration_interval &&
           ga.elites == gb.elites && ga.mode == gb.mode && ga.seed == gb.seed && ga.maximize == gb.maximize &&
           a.strategy.random.evals == b.strategy.random.evals && a.strategy.random.seed == b.strategy.random.seed &&
           a.strategy.grid.grid_size == b.strategy.grid.grid_size && a.strategy.grid.seed == b.strategy.grid.seed &&
           a.strategy.bayes.evals == b.strategy.bayes.evals && a.strategy.bayes.initial == b.strategy.bayes.initial &&
           a.strategy.bayes.acquisition == b.strategy.bayes.acquisition && a.strategy.bayes.seed == b.strategy.bayes.seed &&
           a.strategy.bayes.maximize == b.strategy.bayes.maximize;
}

RunOptions read_config(hid_t file) {
    Handle config = open_group(file, names::config);
    RunOptions o;
    o.space = read_space(config);
    o.arg_style = parse_text(config, "arg_style", [](const std::string& t) { return arg_style_from_string(t); });
    o.maximize = read_bool_attr(config, "maximize");
    o.seed = read_uint_attr(config, "seed");
    o.parallel = read_size(config, "parallel");
    o.log_file = read_string_attr(config, "log_file");
    o.progress = read_bool_attr(config, "progress");
    o.quiet = read_bool_attr(config, "quiet");
    // Added within format 1: optional, so that files from before it still load.
    if (has_attr(config, "checkpoint_interval"))
        o.checkpoint_interval = read_double_attr(config, "checkpoint_interval");
    o.kernel = read_kernel(config);
    o.strategy = read_strategy(config);
    return o;
}

}  // namespace hpo::store
