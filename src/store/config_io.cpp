// Writing and reading /config: every field of RunOptions, one attribute each, named as the CLI
// spells the option where there is one. Not stored: `checkpoint_fn`, `checkpoint_mode` and
// `keep_existing_checkpoint`, which say where this invocation writes and how, not what the run
// is (the reader fills them in).
#include "config_io.hpp"

#include <limits>
#include <stdexcept>

#include "checkpoint_schema.hpp"
#include "h5_attributes.hpp"
#include "h5_columns.hpp"
#include "hpo/space/parse.hpp"

namespace hpo::store {
namespace {

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
    write_bool_attr(group, "echo_output", k.echo_output);
    write_strings_attr(group, "stage_paths", k.stage_paths);
    write_string_attr(group, "checkpoint_root", k.checkpoint_root);
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
    // Added within format 1 (the Python package's Evaluator keywords): optional likewise.
    if (has_attr(group, "echo_output")) k.echo_output = read_bool_attr(group, "echo_output");
    if (has_attr(group, "stage_paths")) k.stage_paths = read_strings_attr(group, "stage_paths");
    // Added with format 3 (issue 15): optional, a file without it had no checkpoint directories.
    if (has_attr(group, "checkpoint_root")) k.checkpoint_root = read_string_attr(group, "checkpoint_root");
    return k;
}

// An option's value as an attribute of its type.
void write_option(hid_t group, const std::string& name, const OptionValue& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) write_bool_attr(group, name, v);
            else if constexpr (std::is_same_v<T, int>) write_int_attr(group, name, v);
            else if constexpr (std::is_same_v<T, std::size_t>) write_uint_attr(group, name, v);
            else if constexpr (std::is_same_v<T, double>) write_double_attr(group, name, v);
            else write_string_attr(group, name, v);
        },
        value);
}

OptionValue read_option(hid_t group, const std::string& name, OptionType type) {
    switch (type) {
    case OptionType::flag: return read_bool_attr(group, name);
    case OptionType::integer: return read_int32_attr(group, name);
    case OptionType::count: return read_size(group, name.c_str());
    case OptionType::real: return read_double_attr(group, name);
    case OptionType::word: return read_string_attr(group, name);
    }
    throw StoreFailure("attribute '" + name + "' has an unknown option type");
}

// Each option of `options`' table: written as an attribute of `group`; read back where the
// attribute exists (an option missing from the file keeps its default: it was added after the
// file was written).
template <class Options>
void write_fields(hid_t group, const Options& options) {
    for (const auto& field : Options::table()) write_option(group, field.stored_name(), field.get(options));
}

template <class Options>
void read_fields(hid_t group, Options& options) {
    for (const auto& field : Options::table()) {
        const std::string attr = field.stored_name();
        if (!has_attr(group, attr)) continue;
        try {
            field.set(options, read_option(group, attr, field.type));
        } catch (const std::invalid_argument& e) {
            throw StoreFailure("attribute '" + attr + "' of " + object_name(group) + ": " + e.what());
        }
    }
}

// The chosen strategy's options, one attribute each, named and typed by the strategy's option
// table: /config/strategy has `kind`, and a group of that name holds the options.
void write_strategy(hid_t config, const StrategyConfig& s) {
    Handle group = create_group(config, "strategy");
    write_string_attr(group, "kind", std::string(strategy_name(s)));
    std::visit(
        [&](const auto& options) {
            Handle own = create_group(group, std::string(options.strategy_name));
            write_fields(own, options);
        },
        s);
}

// Files from before the tables hold every strategy's group, with seed and maximize inside: the
// chosen one is read, the run-wide settings come from /config.
StrategyConfig read_strategy(hid_t config) {
    Handle group = open_group(config, "strategy");
    StrategyConfig s = parse_text(group, "kind", [](const std::string& t) { return strategy_config_from_name(t); });
    std::visit(
        [&](auto& options) {
            const std::string name(options.strategy_name);
            if (!has_link(group, name)) return;
            Handle own = open_group(group, name.c_str());
            read_fields(own, options);
        },
        s);
    return s;
}

// A run-wide option group (pruning, confirmation) in /config/<name>: one attribute each, named
// and typed by its options table. A file without the group was written before those options
// existed: their defaults (prune = none, no confirmation).
template <class Options>
void write_option_group(hid_t config, const char* name, const Options& options) {
    Handle group = create_group(config, name);
    write_fields(group, options);
}

template <class Options>
Options read_option_group(hid_t config, const char* name) {
    Options options;
    if (!has_link(config, name)) return options;
    Handle group = open_group(config, name);
    read_fields(group, options);
    return options;
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
    write_string_attr(config, "log_file", o.log_fn);
    write_bool_attr(config, "progress", o.progress);
    write_bool_attr(config, "quiet", o.quiet);
    write_double_attr(config, "checkpoint_interval", o.checkpoint_interval);
    write_double_attr(config, "worker_timeout", o.worker_timeout_seconds);
    write_string_attr(config, "keep_checkpoints", std::string(to_string(o.keep_checkpoints)));
    write_kernel(config, o.kernel);
    write_strategy(config, o.strategy);
    write_option_group(config, "prune", o.prune);
    write_option_group(config, "confirm", o.confirm);
}

RunOptions read_config(hid_t file) {
    Handle config = open_group(file, names::config);
    RunOptions o;
    o.space = read_space(config);
    o.arg_style = parse_text(config, "arg_style", [](const std::string& t) { return arg_style_from_string(t); });
    o.maximize = read_bool_attr(config, "maximize");
    o.seed = read_uint_attr(config, "seed");
    o.parallel = read_size(config, "parallel");
    o.log_fn = read_string_attr(config, "log_file");
    o.progress = read_bool_attr(config, "progress");
    o.quiet = read_bool_attr(config, "quiet");
    // Added within format 1: optional, so that files from before it still load.
    if (has_attr(config, "checkpoint_interval"))
        o.checkpoint_interval = read_double_attr(config, "checkpoint_interval");
    if (has_attr(config, "worker_timeout")) o.worker_timeout_seconds = read_double_attr(config, "worker_timeout");
    // Added with format 3 (issue 15): optional likewise.
    if (has_attr(config, "keep_checkpoints"))
        o.keep_checkpoints =
            parse_text(config, "keep_checkpoints", [](const std::string& t) { return keep_checkpoints_from_string(t); });
    o.kernel = read_kernel(config);
    o.strategy = read_strategy(config);
    o.prune = read_option_group<PruneOptions>(config, "prune");
    o.confirm = read_option_group<ConfirmOptions>(config, "confirm");
    return o;
}

}  // namespace hpo::store
